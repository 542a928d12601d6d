using Alice.Admin.Totals;

namespace Alice.Admin.Tests;

/// <summary>The chart says what each of its marks is, and names no mark it does not draw.</summary>
public class ChartTests
{
    [Fact]
    public void A_hidden_bar_is_explained_in_a_legend_and_the_minutes_axis_says_min()
    {
        var chart = Chart.Of(new([Row("W1", 40, 12), Row("W2", null, null), Row("W3", 30, 8)], null), 10, "en")!;

        Assert.Contains(chart.Legend, l => l.Mark == "bar-hidden" && l.Text == "Dashed outline: fewer than 10 (not shown)");
        Assert.Contains(chart.Labels, l => l.Text == "12 min");
        Assert.DoesNotContain(chart.Labels, l => l.Text.Contains('′'));
    }

    [Fact]
    public void With_two_median_waits_or_more_the_line_is_drawn_and_named_in_the_caption_and_legend()
    {
        var chart = Chart.Of(new([Row("W1", 40, 12), Row("W2", 35, 9)], null), 10, "en")!;

        Assert.NotNull(chart.Line);
        Assert.Contains("median wait", chart.Title);
        Assert.Contains(chart.Legend, l => l.Mark == "median");
        Assert.DoesNotContain(chart.Legend, l => l.Mark == "bar-hidden"); // nothing hidden, nothing to explain
    }

    [Fact]
    public void Without_two_median_waits_to_join_no_line_is_drawn_nor_named()
    {
        var chart = Chart.Of(new([Row("W1", 40, 12), Row("W2", 35, null)], null), 10, "en")!;

        Assert.Null(chart.Line);
        Assert.DoesNotContain("median", chart.Title);
        Assert.DoesNotContain(chart.Legend, l => l.Mark == "median");
        Assert.DoesNotContain(chart.Labels, l => l.Text.EndsWith("min"));
    }

    /// <summary>A row with this many rides booked (null: hidden) and this median wait (null: too few to say).</summary>
    private static TotalsRow Row(string label, long? booked, int? median) => new(label, [40, booked, 5, 0, 0, 0, 0, 0], [median, null, null]);
}

using System.Globalization;
using T = Alice.Admin.Totals.TotalsTexts;

namespace Alice.Admin.Totals;

/// <summary>
/// The table as a picture, drawn on the server as SVG (no script, <see cref="ChartView"/>): a bar per period for the
/// rides booked, a hidden count drawn as an empty dashed bar of the threshold's height (it says "fewer than", never
/// how many), and a line through the median wait where it can be shown. Here, where each of them goes, and the
/// caption and legend that name only the marks drawn.
/// </summary>
internal static class Chart
{
    private const int Width = 640, Height = 220, Left = 36, Right = 36, Top = 12, Bottom = 28;

    public static ChartModel? Of(TotalsTable table, int threshold, string language)
    {
        var rows = table.Rows;
        if (rows.Count == 0) return null;
        var booked = TotalsTable.Counted.ToList().IndexOf(Alice.Totals.Measure.RidesBooked);
        var maxCount = Math.Max(threshold, rows.Max(r => r.Counts[booked] ?? 0));
        var maxMinutes = Math.Max(10, rows.Max(r => r.Minutes[0] ?? 0));
        double slot = (Width - Left - Right) / (double)rows.Count, plot = Height - Top - Bottom;
        var bars = new List<ChartBar>();
        var line = new List<ChartPoint>();
        for (var i = 0; i < rows.Count; i++)
        {
            var width = Math.Min(slot * 0.7, 48); // a few periods still look like bars, not walls
            var x = Left + (i + 0.5) * slot - width / 2;
            var count = rows[i].Counts[booked];
            var h = (count ?? threshold) * plot / maxCount;
            bars.Add(new ChartBar(X(x), X(Top + plot - h), X(width), X(h), Hidden: count is null,
                $"{rows[i].Label}: {(count is null ? $"<{threshold}" : count)}"));
            if (rows[i].Minutes[0] is { } minutes) line.Add(new(X(Left + (i + 0.5) * slot), X(Top + plot - minutes * plot / maxMinutes)));
        }
        // A single point is no line: then the minutes are neither drawn nor named (the table still has them).
        var drawsLine = line.Count > 1;
        List<ChartLabel> labels = [new(X(4), X(Top + 10), $"{maxCount}", false), new(X(4), X(Top + plot), "0", false),
            new(X(Left), X(Height - 8), rows[0].Label, false)];
        if (rows.Count > 1) labels.Add(new(X(Width - Right), X(Height - 8), rows[^1].Label, End: true));
        if (drawsLine) labels.Add(new(X(Width - 2), X(Top + 10), $"{maxMinutes} min", End: true));
        List<ChartKey> legend = [new("bar-shown", T.LegendBooked.In(language))];
        if (bars.Any(b => b.Hidden)) legend.Add(new("bar-hidden", T.LegendHidden(language, threshold)));
        if (drawsLine) legend.Add(new("median", T.LegendMedian.In(language)));
        return new ChartModel((drawsLine ? T.ChartTitle : T.ChartTitleBarsOnly).In(language), $"0 0 {Width} {Height}",
            new(X(Left), X(Top + plot)), new(X(Width - Right), X(Top + plot)), bars,
            drawsLine ? string.Join(' ', line.Select(p => $"{p.X},{p.Y}")) : null, drawsLine ? line : [], labels, legend);
    }

    private static string X(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
}

/// <summary>The chart, every coordinate already worked out.</summary>
/// <param name="Line">The median wait's line (its points), or null with fewer than two points.</param>
/// <param name="Legend">What each kind of mark drawn means: the bars, the dashed ones if any, the line if drawn.</param>
public sealed record ChartModel(string Title, string ViewBox, ChartPoint BaselineFrom, ChartPoint BaselineTo, IReadOnlyList<ChartBar> Bars,
    string? Line, IReadOnlyList<ChartPoint> Points, IReadOnlyList<ChartLabel> Labels, IReadOnlyList<ChartKey> Legend);

/// <param name="Hidden">A count under the threshold: drawn as an outline of the threshold's height.</param>
public sealed record ChartBar(string X, string Y, string Width, string Height, bool Hidden, string Title);

public sealed record ChartPoint(string X, string Y);

/// <param name="End">Anchored at its end (the last period's label, at the right).</param>
public sealed record ChartLabel(string X, string Y, string Text, bool End);

/// <param name="Mark">The class of the mark it explains (bar-shown, bar-hidden, median), drawn again as its swatch.</param>
public sealed record ChartKey(string Mark, string Text);

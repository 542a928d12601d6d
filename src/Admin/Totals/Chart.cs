using System.Globalization;

namespace Alice.Admin.Totals;

/// <summary>
/// The table as a picture, drawn on the server as SVG (no script, <see cref="ChartView"/>): a bar per period for the
/// rides booked, a hidden count drawn as an empty dashed bar of the threshold's height (it says "fewer than", never
/// how many), and a line through the median wait where it can be shown. Here, where each of them goes.
/// </summary>
internal static class Chart
{
    private const int Width = 640, Height = 220, Left = 36, Right = 36, Top = 12, Bottom = 28;

    public static ChartModel? Of(TotalsTable table, int threshold, string title)
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
        return new ChartModel(title, $"0 0 {Width} {Height}", new(X(Left), X(Top + plot)), new(X(Width - Right), X(Top + plot)), bars,
            line.Count > 1 ? string.Join(' ', line.Select(p => $"{p.X},{p.Y}")) : null, line,
            [new(X(4), X(Top + 10), $"{maxCount}", false), new(X(4), X(Top + plot), "0", false), new(X(Width - Right + 4), X(Top + 10), $"{maxMinutes}′", false),
             new(X(Left), X(Height - 8), rows[0].Label, false), .. rows.Count > 1 ? [new ChartLabel(X(Width - Right), X(Height - 8), rows[^1].Label, End: true)] : Array.Empty<ChartLabel>()]);
    }

    private static string X(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
}

/// <summary>The chart, every coordinate already worked out.</summary>
/// <param name="Line">The median wait's line (its points), or null with fewer than two points.</param>
public sealed record ChartModel(string Title, string ViewBox, ChartPoint BaselineFrom, ChartPoint BaselineTo, IReadOnlyList<ChartBar> Bars,
    string? Line, IReadOnlyList<ChartPoint> Points, IReadOnlyList<ChartLabel> Labels);

/// <param name="Hidden">A count under the threshold: drawn as an outline of the threshold's height.</param>
public sealed record ChartBar(string X, string Y, string Width, string Height, bool Hidden, string Title);

public sealed record ChartPoint(string X, string Y);

/// <param name="End">Anchored at its end (the last period's label, at the right).</param>
public sealed record ChartLabel(string X, string Y, string Text, bool End);

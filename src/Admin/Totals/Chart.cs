using System.Globalization;
using static Alice.Accounts.Html;

namespace Alice.Admin.Totals;

/// <summary>
/// The table as a picture, drawn on the server as SVG (no script): a bar per period for the rides booked,
/// a hidden count drawn as an empty dashed bar of the threshold's height (it says "fewer than", never how
/// many), and a line through the median wait where it can be shown.
/// </summary>
internal static class Chart
{
    private const int Width = 640, Height = 220, Left = 36, Right = 36, Top = 12, Bottom = 28;

    public static string Svg(TotalsTable table, int threshold, string title)
    {
        var rows = table.Rows;
        if (rows.Count == 0) return "";
        var booked = TotalsTable.Counted.ToList().IndexOf(Alice.Totals.Measure.RidesBooked);
        var maxCount = Math.Max(threshold, rows.Max(r => r.Counts[booked] ?? 0));
        var maxMinutes = Math.Max(10, rows.Max(r => r.Minutes[0] ?? 0));
        double slot = (Width - Left - Right) / (double)rows.Count, plot = Height - Top - Bottom;
        string X(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
        var parts = new List<string>();
        var line = new List<(double X, double Y)>();
        for (var i = 0; i < rows.Count; i++)
        {
            var width = Math.Min(slot * 0.7, 48); // a few periods still look like bars, not walls
            var x = Left + (i + 0.5) * slot - width / 2;
            var count = rows[i].Counts[booked];
            var h = (count ?? threshold) * plot / maxCount;
            parts.Add(count is null
                ? $"<rect class=\"bar-hidden\" x=\"{X(x)}\" y=\"{X(Top + plot - h)}\" width=\"{X(width)}\" height=\"{X(h)}\"><title>{E(rows[i].Label)}: &lt;{threshold}</title></rect>"
                : $"<rect class=\"bar-shown\" x=\"{X(x)}\" y=\"{X(Top + plot - h)}\" width=\"{X(width)}\" height=\"{X(h)}\"><title>{E(rows[i].Label)}: {count}</title></rect>");
            if (rows[i].Minutes[0] is { } minutes) line.Add((Left + (i + 0.5) * slot, Top + plot - minutes * plot / maxMinutes));
        }
        if (line.Count > 1) parts.Add($"<polyline class=\"median\" points=\"{string.Join(' ', line.Select(p => $"{X(p.X)},{X(p.Y)}"))}\"/>");
        parts.AddRange(line.Select(p => $"<circle class=\"median-point\" cx=\"{X(p.X)}\" cy=\"{X(p.Y)}\" r=\"3\"/>"));
        parts.Add($"<text class=\"axis\" x=\"4\" y=\"{Top + 10}\">{maxCount}</text><text class=\"axis\" x=\"4\" y=\"{Top + plot}\">0</text>");
        parts.Add($"<text class=\"axis\" x=\"{Width - Right + 4}\" y=\"{Top + 10}\">{maxMinutes}′</text>");
        parts.Add($"<text class=\"axis\" x=\"{Left}\" y=\"{Height - 8}\">{E(rows[0].Label)}</text>");
        if (rows.Count > 1) parts.Add($"<text class=\"axis end\" x=\"{Width - Right}\" y=\"{Height - 8}\">{E(rows[^1].Label)}</text>");
        return $"<figure class=\"chart\"><svg viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{E(title)}\"><line class=\"baseline\" x1=\"{Left}\" y1=\"{Top + plot}\" x2=\"{Width - Right}\" y2=\"{Top + plot}\"/>{string.Concat(parts)}</svg><figcaption>{E(title)}</figcaption></figure>";
    }
}

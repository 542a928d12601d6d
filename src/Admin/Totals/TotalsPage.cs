using System.Text;
using Alice.Accounts;
using static Alice.Accounts.Html;
using T = Alice.Admin.Totals.TotalsTexts;

namespace Alice.Admin.Totals;

/// <summary>The totals page (with its navigation), the printable report (without), and the CSV of the same table.</summary>
internal static class TotalsPage
{
    public static string Body(TotalsQuery query, Figures figures, TotalsTable table, int threshold, string language, bool forPrint, string header)
    {
        var title = $"{T.Title.In(language)} — {(query.Scope == Publication.AllCampuses ? T.AllCampuses.In(language) : query.Scope)}";
        var nav = forPrint ? "" : Navigation(query, figures, language);
        var links = forPrint
            ? $"<p class=\"no-print\"><a href=\"/totals{E(query.QueryString())}\">{E(T.Back.In(language))}</a></p>"
            : $"<p class=\"actions\"><a class=\"button\" href=\"/totals.csv{E(query.QueryString())}\" download>{E(T.Csv.In(language))}</a> <a class=\"button secondary\" href=\"/totals/report{E(query.QueryString())}\">{E(T.Report.In(language))}</a></p>";
        var hiddenAny = table.Rows.Append(table.Total).Any(r => r is not null && r.Counts.Any(c => c is null));
        return $"""
            {header}
            <h1>{E(title)}</h1>
            <p class="period">{E(PeriodText(query, language))}</p>
            {nav}
            {(figures.Years.Count == 0 ? $"<p class=\"notice\">{E(T.NoData.In(language))}</p>" : "")}
            {(hiddenAny ? $"<p class=\"why\" id=\"why\">{E(T.Why(language, threshold))}</p>" : "")}
            {Chart.Svg(table, threshold, T.ChartTitle.In(language))}
            {Table(table, threshold, language)}
            {links}
            """;
    }

    public static string Csv(TotalsTable table, int threshold, string language)
    {
        var csv = new StringBuilder();
        csv.AppendJoin(',', Headers(language).Select(Quote)).Append("\r\n");
        foreach (var row in table.Rows.Append(table.Total).OfType<TotalsRow>())
            csv.AppendJoin(',', Cells(row, threshold).Select(Quote)).Append("\r\n");
        return csv.ToString();
    }

    private static string Table(TotalsTable table, int threshold, string language)
    {
        string Tr(TotalsRow row, string tag) => "<tr>" + string.Concat(Cells(row, threshold).Select((c, i) =>
            i == 0 ? $"<th scope=\"row\">{E(c)}</th>" : $"<{tag} class=\"{(c.StartsWith('<') ? "hidden" : "num")}\">{E(c)}</{tag}>")) + "</tr>";
        return $"""
            <div class="table-wrap"><table class="totals">
            <thead><tr>{string.Concat(Headers(language).Select(h => $"<th scope=\"col\">{E(h)}</th>"))}</tr></thead>
            <tbody>{string.Concat(table.Rows.Select(r => Tr(r, "td")))}</tbody>
            {(table.Total is { } total ? $"<tfoot>{Tr(total, "td")}</tfoot>" : "")}
            </table></div>
            """;
    }

    private static IEnumerable<string> Headers(string language) =>
        [T.Period.In(language), .. TotalsTable.Counted.Select(m => T.Of(m, language)), T.MedianWait.In(language), T.P90Wait.In(language), T.MedianRide.In(language)];

    /// <summary>A row as it is shown: a hidden count as "&lt;threshold", a duration too few to describe as "–".</summary>
    private static IEnumerable<string> Cells(TotalsRow row, int threshold) =>
        [row.Label, .. row.Counts.Select(c => c?.ToString() ?? $"<{threshold}"), .. row.Minutes.Select(m => m is { } v ? $"≤ {v}" : "–")];

    private static string Quote(string value) => value.IndexOfAny([',', '"', '\n']) < 0 ? value : $"\"{value.Replace("\"", "\"\"")}\"";

    private static string PeriodText(TotalsQuery query, string language) => query.By switch
    {
        Granularity.Year => T.ByYear.In(language),
        Granularity.Month => $"{T.ByMonth.In(language)} · {query.Year}",
        _ => $"{T.ByWeek.In(language)} · {query.Year}",
    };

    private static string Navigation(TotalsQuery query, Figures figures, string language)
    {
        string Link(string text, string href, bool current) =>
            current ? $"<strong aria-current=\"page\">{E(text)}</strong>" : $"<a href=\"/totals{E(href)}\">{E(text)}</a>";
        var campuses = new[] { ("all", T.AllCampuses.In(language)) }.Concat(figures.Campuses.Select(c => (c, c)))
            .Select(c => Link(c.Item2, query.QueryString(campus: c.Item1), query.Campus == c.Item1));
        var periods = new[] { (Granularity.Week, T.ByWeek), (Granularity.Month, T.ByMonth), (Granularity.Year, T.ByYear) }
            .Select(p => Link(p.Item2.In(language), query.QueryString(by: p.Item1), query.By == p.Item1));
        var years = query.By == Granularity.Year ? [] : figures.Years.Select(y => Link(y.ToString(), query.QueryString(year: y), query.Year == y));
        return $"""
            <nav class="choices" aria-label="{E(T.Campus.In(language))}">{string.Join(" ", campuses)}</nav>
            <nav class="choices" aria-label="{E(T.Period.In(language))}">{string.Join(" ", periods)} {string.Join(" ", years)}</nav>
            """;
    }
}

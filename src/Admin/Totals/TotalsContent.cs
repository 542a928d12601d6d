using System.Text;
using Alice.Web;
using T = Alice.Admin.Totals.TotalsTexts;

namespace Alice.Admin.Totals;

/// <summary>What the totals page (with its navigation), the printable report (without) and the CSV show of one table.</summary>
internal static class TotalsContent
{
    public static TotalsModel Model(TotalsQuery query, Figures figures, TotalsTable table, int threshold, string language, bool forPrint, bool showsAccounts)
    {
        var hiddenAny = table.Rows.Append(table.Total).Any(r => r is not null && r.Counts.Any(c => c is null));
        return new TotalsModel(language,
            $"{T.Title.In(language)} — {(query.Scope == Publication.AllCampuses ? T.AllCampuses.In(language) : query.Scope)}",
            PeriodText(query, language), query.QueryString(), forPrint, showsAccounts,
            forPrint ? [] : Campuses(query, figures, language), forPrint ? [] : Periods(query, figures, language),
            NoData: figures.Years.Count == 0, Why: hiddenAny ? T.Why(language, threshold) : null,
            Chart.Of(table, threshold, T.ChartTitle.In(language)), [.. Headers(language)],
            [.. table.Rows.Select(r => Line(r, threshold))], table.Total is { } total ? Line(total, threshold) : null);
    }

    public static string Csv(TotalsTable table, int threshold, string language)
    {
        var csv = new StringBuilder();
        csv.AppendJoin(',', Headers(language).Select(Quote)).Append("\r\n");
        foreach (var row in table.Rows.Append(table.Total).OfType<TotalsRow>())
            csv.AppendJoin(',', Cells(row, threshold).Select(Quote)).Append("\r\n");
        return csv.ToString();
    }

    private static TotalsLine Line(TotalsRow row, int threshold)
    {
        var cells = Cells(row, threshold).ToList();
        return new(cells[0], cells[1..]);
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

    private static IReadOnlyList<Choice> Campuses(TotalsQuery query, Figures figures, string language) =>
        [.. new[] { ("all", T.AllCampuses.In(language)) }.Concat(figures.Campuses.Select(c => (c, c)))
            .Select(c => new Choice(c.Item2, query.QueryString(campus: c.Item1), query.Campus == c.Item1))];

    /// <summary>Week, month or year, then the years there are figures for (none by year: every year is a row).</summary>
    private static IReadOnlyList<Choice> Periods(TotalsQuery query, Figures figures, string language) =>
        [.. new[] { (Granularity.Week, T.ByWeek), (Granularity.Month, T.ByMonth), (Granularity.Year, T.ByYear) }
            .Select(p => new Choice(p.Item2.In(language), query.QueryString(by: p.Item1), query.By == p.Item1)),
         .. query.By == Granularity.Year ? [] : figures.Years.Select(y => new Choice(y.ToString(), query.QueryString(year: y), query.Year == y))];
}

/// <summary>A totals page as shown: titles, the choices of campus and period, the chart and the table, already through disclosure control.</summary>
/// <param name="Query">The page's query (<c>?campus=…&amp;by=…&amp;year=…</c>), kept by the CSV, report and language links.</param>
/// <param name="Why">Why some cells are hidden, when some are.</param>
public sealed record TotalsModel(string Language, string Title, string Period, string Query, bool ForPrint, bool ShowsAccounts,
    IReadOnlyList<Choice> Campuses, IReadOnlyList<Choice> Periods, bool NoData, string? Why, ChartModel? Chart,
    IReadOnlyList<string> Headers, IReadOnlyList<TotalsLine> Rows, TotalsLine? Total) : IPageModel<TotalsPage>;

/// <summary>A link to another table (<see cref="Query"/>), or the current one.</summary>
public sealed record Choice(string Text, string Query, bool Current);

/// <param name="Cells">The counts (a hidden one as "&lt;threshold") and the minutes, as shown.</param>
public sealed record TotalsLine(string Label, IReadOnlyList<string> Cells);

/// <summary>A campus, period or year there is nothing for.</summary>
public sealed record WrongQueryModel(string Language) : IPageModel<WrongQueryPage>;

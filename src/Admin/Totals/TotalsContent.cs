using System.Globalization;
using System.Text;
using Alice.Web;
using T = Alice.Admin.Totals.TotalsTexts;

namespace Alice.Admin.Totals;

/// <summary>What the totals page (with its navigation), the printable report (without) and the CSV show of one table.</summary>
internal static class TotalsContent
{
    /// <summary>What a page is made for: its language, print or screen, whether it links the accounts, the campuses' names, when.</summary>
    public sealed record PageOf(string Language, bool ForPrint, bool ShowsAccounts, IReadOnlyList<CampusName> Names, DateTimeOffset Now);

    public static TotalsModel Model(TotalsQuery query, Figures figures, TotalsTable table, int threshold, PageOf page)
    {
        var language = page.Language;
        var hiddenAny = table.Rows.Append(table.Total).Any(r => r is not null && r.Counts.Any(c => c is null));
        var thisYear = Alice.Totals.Week.Of(page.Now).Year;
        var notice = figures.Years.Count == 0 ? T.NoData.In(language)
            : query.By != Granularity.Year && figures.WeeksOf(query.Year).Count == 0 ? T.NothingFor(language, query.Year) : null;
        return new TotalsModel(language,
            $"{T.Title.In(language)} — {(query.Scope == Publication.AllCampuses ? T.AllCampuses.In(language) : CampusName.Of(page.Names, query.Scope))}",
            PeriodText(query, language), query.QueryString(), page.ForPrint, page.ShowsAccounts,
            page.ForPrint ? [] : Campuses(query, figures, page.Names, language), page.ForPrint ? [] : Periods(query, figures, thisYear, language),
            notice, Why: hiddenAny ? T.Why(language, threshold) : null,
            Chart.Of(table, threshold, language), [.. Headers(language)],
            [.. table.Rows.Select(r => Line(r, threshold))], table.Total is { } total ? Line(total, threshold) : null,
            page.ForPrint ? new Made(T.MadeOn.In(language), page.Now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                page.Now.UtcDateTime.ToString("d MMMM yyyy", T.Culture(language))) : null);
    }

    /// <summary>
    /// The table for a spreadsheet: every count and every minute a plain number, a cell the page hides (a count
    /// under the threshold) or cannot say (minutes of too few rides) left empty, and the row's last column, the
    /// flag, naming the columns left empty (separated by "; "), so an empty cell is never read as a zero.
    /// </summary>
    public static string Csv(TotalsTable table, string language)
    {
        var headers = Headers(language).ToList();
        var csv = new StringBuilder();
        csv.AppendJoin(',', headers.Append(T.HiddenColumn.In(language)).Select(Quote)).Append("\r\n");
        foreach (var row in table.Rows.Append(table.Total).OfType<TotalsRow>())
        {
            List<string> values = [.. row.Counts.Select(c => c?.ToString(CultureInfo.InvariantCulture) ?? ""),
                .. row.Minutes.Select(m => m?.ToString(CultureInfo.InvariantCulture) ?? "")];
            var empty = values.Select((v, i) => (v, Header: headers[i + 1])).Where(c => c.v.Length == 0).Select(c => c.Header);
            csv.AppendJoin(',', new[] { row.Label }.Concat(values).Append(string.Join("; ", empty)).Select(Quote)).Append("\r\n");
        }
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

    private static IReadOnlyList<Choice> Campuses(TotalsQuery query, Figures figures, IReadOnlyList<CampusName> names, string language) =>
        [.. new[] { ("all", T.AllCampuses.In(language)) }.Concat(figures.Campuses.Select(c => (c, CampusName.Of(names, c))))
            .Select(c => new Choice(c.Item2, query.QueryString(campus: c.Item1), query.Campus == c.Item1))];

    /// <summary>Week, month or year, then the years offered, the latest first (none by year: every year is a row).</summary>
    private static IReadOnlyList<Choice> Periods(TotalsQuery query, Figures figures, int thisYear, string language) =>
        [.. new[] { (Granularity.Week, T.ByWeek), (Granularity.Month, T.ByMonth), (Granularity.Year, T.ByYear) }
            .Select(p => new Choice(p.Item2.In(language), query.QueryString(by: p.Item1), query.By == p.Item1)),
         .. query.By == Granularity.Year ? [] : TotalsQuery.YearsOffered(figures, thisYear).Reverse().Select(y => new Choice(y.ToString(), query.QueryString(year: y), query.Year == y))];
}

/// <summary>A totals page as shown: titles, the choices of campus and period, the chart and the table, already through disclosure control.</summary>
/// <param name="Query">The page's query (<c>?campus=…&amp;by=…&amp;year=…</c>), kept by the CSV, report and language links.</param>
/// <param name="Notice">Nothing published yet, or nothing for the year asked.</param>
/// <param name="Why">Why some cells are hidden, when some are.</param>
/// <param name="Made">On the printable report only: the date it was made.</param>
public sealed record TotalsModel(string Language, string Title, string Period, string Query, bool ForPrint, bool ShowsAccounts,
    IReadOnlyList<Choice> Campuses, IReadOnlyList<Choice> Periods, string? Notice, string? Why, ChartModel? Chart,
    IReadOnlyList<string> Headers, IReadOnlyList<TotalsLine> Rows, TotalsLine? Total, Made? Made) : IPageModel<TotalsPage>;

/// <summary>When the printable report was made: the words before it, the date as a machine reads it and as shown.</summary>
public sealed record Made(string Words, string Iso, string Shown);

/// <summary>A link to another table (<see cref="Query"/>), or the current one.</summary>
public sealed record Choice(string Text, string Query, bool Current);

/// <param name="Cells">The counts (a hidden one as "&lt;threshold") and the minutes, as shown.</param>
public sealed record TotalsLine(string Label, IReadOnlyList<string> Cells);

/// <summary>The published totals cannot be read (yet): answered 503.</summary>
public sealed record UnavailableModel(string Language) : IPageModel<UnavailablePage>;

/// <summary>A campus, period or year there is nothing for.</summary>
public sealed record WrongQueryModel(string Language) : IPageModel<WrongQueryPage>;

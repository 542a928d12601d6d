using Alice.Totals;

namespace Alice.Admin.Totals;

/// <summary>Which table a page shows: a campus (or all), by week, month or year, and for which ISO year.</summary>
internal sealed record TotalsQuery(string Scope, Granularity By, int Year)
{
    /// <summary>The query as asked, or null when it names a campus, period or year there is nothing for.</summary>
    public static TotalsQuery? Parse(string? campus, string? by, string? year, Figures figures, int thisYear)
    {
        var scope = string.IsNullOrEmpty(campus) || campus == "all" ? Publication.AllCampuses : campus;
        if (scope != Publication.AllCampuses && !figures.Campuses.Contains(scope)) return null;
        Granularity? granularity = by switch { null or "" or "week" => Granularity.Week, "month" => Granularity.Month, "year" => Granularity.Year, _ => null };
        if (granularity is null) return null;
        if (string.IsNullOrEmpty(year)) return new(scope, granularity.Value, figures.Years.Count > 0 ? figures.Years[^1] : thisYear);
        return int.TryParse(year, out var y) && YearsOffered(figures, thisYear).Contains(y) ? new(scope, granularity.Value, y) : null;
    }

    /// <summary>
    /// Every year from the first with figures to this one, and last year even before anything was published in it
    /// (a report on last year is written in January): a year without figures says so rather than "no such page".
    /// </summary>
    public static IReadOnlyList<int> YearsOffered(Figures figures, int thisYear)
    {
        var first = Math.Min(figures.Years.Count > 0 ? figures.Years[0] : thisYear, thisYear - 1);
        var last = Math.Max(figures.Years.Count > 0 ? figures.Years[^1] : thisYear, thisYear);
        return [.. Enumerable.Range(first, last - first + 1)];
    }

    public string Campus => Scope == Publication.AllCampuses ? "all" : Scope;

    public string QueryString(Granularity? by = null, string? campus = null, int? year = null) =>
        $"?campus={Uri.EscapeDataString(campus ?? Campus)}&by={(by ?? By).ToString().ToLowerInvariant()}&year={year ?? Year}";
}

/// <summary>One row of the table: a period's label, its counts (null: hidden) and its minutes (null: too few to say).</summary>
internal sealed record TotalsRow(string Label, IReadOnlyList<long?> Counts, IReadOnlyList<int?> Minutes);

/// <summary>
/// The table a page shows, and exactly what its CSV holds: rows of periods, a total row for the year when
/// the rows are weeks or months, every value already through disclosure control.
/// </summary>
internal sealed record TotalsTable(IReadOnlyList<TotalsRow> Rows, TotalsRow? Total)
{
    public static readonly IReadOnlyList<Measure> Counted =
    [
        Measure.CallsAnswered, Measure.RidesBooked, Measure.RidesBookedByText, Measure.CallsWithoutBooking, Measure.HandedOver,
        Measure.PartnerFailovers, Measure.Arrived, Measure.PoliceRequests, Measure.AlertsRaised,
    ];

    /// <summary>The duration columns: the median and nine-in-ten wait until pickup, the median time from pickup to the centre.</summary>
    public static readonly IReadOnlyList<(Histogram Histogram, double Share)> Timed =
        [(Histogram.BookingToPickup, 0.5), (Histogram.BookingToPickup, 0.9), (Histogram.PickupToArrival, 0.5)];

    public static TotalsTable For(TotalsQuery query, Figures figures, int threshold, string language)
    {
        if (query.By == Granularity.Year)
        {
            var years = (figures.Years.Count > 0 ? figures.Years : [query.Year]).Select(y => new Publication(figures, y, threshold));
            return new([.. years.Select(p => Row(p, query.Scope, p.Whole, p.Year.ToString()))], null);
        }
        var publication = new Publication(figures, query.Year, threshold);
        var periods = query.By == Granularity.Week ? publication.Weeks : publication.Months;
        return new([.. periods.Select(p => Row(publication, query.Scope, p, Label(p, language)))], Row(publication, query.Scope, publication.Whole, TotalsTexts.Total.In(language)));
    }

    private static TotalsRow Row(Publication publication, string scope, Period period, string label) => new(
        label,
        [.. Counted.Select(m => publication.Count(scope, period, m))],
        [.. Timed.Select(t => publication.Percentile(scope, period, t.Histogram, t.Share))]);

    private static string Label(Period period, string language)
    {
        if (period.By == Granularity.Month) return $"{TotalsTexts.Month(period.Weeks[0].Month.Month, language)} {period.Weeks[0].Month.Year}";
        var week = period.Weeks[0];
        return $"{TotalsTexts.Week.In(language)} {week.Number} ({week.Monday:dd/MM}–{week.Monday.AddDays(6):dd/MM})";
    }
}

using Alice.Admin.Disclosure;
using Alice.Totals;

namespace Alice.Admin.Totals;

internal enum Granularity { Week, Month, Year }

/// <summary>A period a page can show: a week, a month (its weeks, by their Thursday) or an ISO year.</summary>
internal sealed record Period(Granularity By, string Key, IReadOnlyList<Week> Weeks)
{
    public static Period Of(Week week) => new(Granularity.Week, week.Key, [week]);
}

/// <summary>
/// Everything the panel can publish for one ISO year, for every campus and for all campuses together, by
/// week, month and the year itself, with disclosure control applied to all of it at once: a hidden cell
/// stays hidden whichever page, period or campus it is looked at from, so no combination of pages gives it
/// away. Counts that are tied to each other (calls answered are rides booked plus calls without a
/// booking) are controlled together, as one table.
/// </summary>
internal sealed class Publication
{
    /// <summary>The scope of all campuses together.</summary>
    public const string AllCampuses = "*";

    /// <summary>
    /// Measures whose cells are controlled together: each shown measure is the sum of some base measures (the
    /// unknowns disclosure control reasons about, not stored counts). Here the bases are the rides booked from a
    /// call (named by RidesBooked), those from a text and the calls without a booking: calls answered are the
    /// first and the last, the rides booked the first two.
    /// </summary>
    internal static readonly (Measure[] Base, (Measure Shown, Measure[] Of)[] Shown)[] Groups =
    [
        ([Measure.RidesBooked, Measure.RidesBookedByText, Measure.CallsWithoutBooking],
            [(Measure.CallsAnswered, [Measure.RidesBooked, Measure.CallsWithoutBooking]), (Measure.RidesBooked, [Measure.RidesBooked, Measure.RidesBookedByText]),
             (Measure.RidesBookedByText, [Measure.RidesBookedByText]), (Measure.CallsWithoutBooking, [Measure.CallsWithoutBooking])]),
        .. Measures.All.Except([Measure.CallsAnswered, Measure.RidesBooked, Measure.RidesBookedByText, Measure.CallsWithoutBooking]).Select(m => (new[] { m }, new[] { (m, new[] { m }) })),
    ];

    private readonly Figures _figures;
    private readonly int _threshold;
    private readonly Dictionary<(string Scope, string Period, Measure Measure), long?> _counts = [];

    public Publication(Figures figures, int year, int threshold)
    {
        (_figures, _threshold, Year) = (figures, threshold, year);
        var weeks = figures.WeeksOf(year);
        Weeks = weeks.Select(Period.Of).ToList();
        Months = weeks.GroupBy(w => w.Month).Select(g => new Period(Granularity.Month, $"{g.Key.Year:D4}-{g.Key.Month:D2}", g.ToList())).ToList();
        Whole = new Period(Granularity.Year, $"{year:D4}", weeks);
        Scopes = [.. figures.Campuses, AllCampuses];
        foreach (var group in Groups) Control(group.Base, group.Shown);
    }

    public int Year { get; }
    public IReadOnlyList<Period> Weeks { get; }
    public IReadOnlyList<Period> Months { get; }
    public Period Whole { get; }
    public IReadOnlyList<string> Scopes { get; }

    /// <summary>The count as it may be shown, or null where it is hidden.</summary>
    public long? Count(string scope, Period period, Measure measure) => _counts[(scope, period.Key, measure)];

    /// <summary>
    /// The minutes under which this share of the durations fall (0.5: the median), or null when fewer than
    /// the threshold were counted: a percentile of a handful of rides would describe those rides.
    /// </summary>
    public int? Percentile(string scope, Period period, Histogram histogram, double share)
    {
        var buckets = histogram.Buckets.Select(b => Sum(scope, period, b)).ToList();
        var population = buckets.Sum();
        if (population < _threshold) return null;
        long seen = 0;
        for (var i = 0; i < buckets.Count; i++)
            if ((seen += buckets[i]) >= share * population) return Histogram.MinutesOf(i);
        return Histogram.MinutesOf(buckets.Count - 1);
    }

    private IReadOnlyList<string> CampusesOf(string scope) => scope == AllCampuses ? _figures.Campuses : [scope];

    /// <summary>A measure's weekly totals added up over the scope's campuses and the period's weeks.</summary>
    private long Sum(string scope, Period period, string measure) => CampusesOf(scope).Sum(c => period.Weeks.Sum(w => _figures.Value(c, w, measure)));

    private void Control(Measure[] baseMeasures, (Measure Shown, Measure[] Of)[] shown)
    {
        // One variable per campus, week and base measure; a cell is the sum of the variables it covers.
        var variables = new Dictionary<(string, Week, Measure), int>();
        foreach (var campus in _figures.Campuses)
            foreach (var week in Whole.Weeks)
                foreach (var m in baseMeasures) variables[(campus, week, m)] = variables.Count;
        var keys = new List<(string, string, Measure)>();
        var cells = new List<Cell>();
        foreach (var scope in Scopes)
            foreach (var period in Weeks.Concat(Months).Append(Whole))
                foreach (var (measure, of) in shown)
                {
                    var covered = (from c in CampusesOf(scope) from w in period.Weeks from m in of select variables[(c, w, m)]).ToList();
                    keys.Add((scope, period.Key, measure));
                    cells.Add(new Cell(covered, Sum(scope, period, measure.Name())));
                }
        // A cell over no week or no campus (a year without totals yet) is a sum of nothing: zero, shown as it is.
        var hidden = Suppression.Suppress([.. cells.Where(c => c.Variables.Count > 0)], _threshold);
        var next = 0;
        for (var i = 0; i < cells.Count; i++)
            _counts[keys[i]] = cells[i].Variables.Count == 0 ? 0 : hidden[next++] ? null : cells[i].Value;
    }
}

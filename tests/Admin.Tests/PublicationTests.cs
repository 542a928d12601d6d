using Alice.Admin.Tests.Support;
using Alice.Admin.Totals;
using Alice.Totals;
// The published figures, not the test library's printed tables.
using Figures = Alice.Admin.Totals.Figures;

namespace Alice.Admin.Tests;

/// <summary>
/// Everything the panel can show for a year, taken together as an attacker would take every page: no
/// count under the threshold, and no hidden count that follows from the shown ones, including a week
/// as its month minus the other weeks, a campus as all campuses minus the others, and rides booked as
/// calls answered minus calls without a booking.
/// </summary>
public class PublicationTests
{
    private const int Threshold = 10;
    private static readonly string[] Campuses = ["alma", "delta"];
    private static readonly Week[] Weeks = [.. Enumerable.Range(9, 6).Select(n => new Week(2026, n))];

    [Fact]
    public void A_week_counts_in_the_month_of_its_thursday()
    {
        var publication = new Publication(Figures(), 2026, Threshold);

        // 2026-W14 runs from Monday 30 March to Sunday 5 April; its Thursday is 2 April.
        Assert.Equal([new Week(2026, 14)], publication.Months.Single(m => m.Key == "2026-04").Weeks);
        Assert.Equal(Weeks.Length, publication.Months.Sum(m => m.Weeks.Count));
    }

    [Fact]
    public void No_hidden_count_of_a_year_follows_from_everything_its_pages_show()
    {
        var publication = new Publication(Figures(), 2026, Threshold);

        // Delta's police requests in week 12 are 3: hidden, and so is what would give them away.
        Assert.Null(publication.Count("delta", publication.Weeks.Single(w => w.Key == "2026-W12"), Measure.PoliceRequests));
        // The rides booked are those from calls and those from texts; calls answered count no text.
        AssertSafe(publication, [Measure.RidesBooked, Measure.RidesBookedByText, Measure.CallsWithoutBooking],
            [(Measure.CallsAnswered, [Measure.RidesBooked, Measure.CallsWithoutBooking]), (Measure.RidesBooked, [Measure.RidesBooked, Measure.RidesBookedByText]),
             (Measure.RidesBookedByText, [Measure.RidesBookedByText]), (Measure.CallsWithoutBooking, [Measure.CallsWithoutBooking])]);
        foreach (var measure in new[] { Measure.HandedOver, Measure.PartnerFailovers, Measure.Arrived, Measure.PoliceRequests, Measure.AlertsRaised })
            AssertSafe(publication, [measure], [(measure, [measure])]);
    }

    [Fact]
    public void A_median_is_shown_only_when_it_describes_at_least_the_threshold_of_rides()
    {
        var values = new Dictionary<(string, Week, string), long>
        {
            [("alma", Weeks[0], Histogram.BookingToPickup.Buckets[1])] = 6,  // 5 to 10 minutes
            [("alma", Weeks[1], Histogram.BookingToPickup.Buckets[2])] = 6,  // 10 to 15 minutes
        };
        var publication = new Publication(new Figures(values), 2026, Threshold);

        Assert.Null(publication.Percentile("alma", publication.Weeks[0], Histogram.BookingToPickup, 0.5));
        Assert.Equal(10, publication.Percentile("alma", publication.Whole, Histogram.BookingToPickup, 0.5));
        Assert.Equal(15, publication.Percentile("alma", publication.Whole, Histogram.BookingToPickup, 0.9));
    }

    /// <summary>Rebuilds every cell the publication can show from the calendar itself, and checks what it hid with exact arithmetic.</summary>
    private static void AssertSafe(Publication publication, Measure[] baseMeasures, (Measure Shown, Measure[] Of)[] shown)
    {
        var variable = new Dictionary<(string, Week, Measure), int>();
        foreach (var campus in Campuses) foreach (var week in Weeks) foreach (var m in baseMeasures) variable[(campus, week, m)] = variable.Count;
        var cells = new List<(IReadOnlyList<int> Variables, long? Shown)>();
        foreach (var scope in Campuses.Append(Publication.AllCampuses))
            foreach (var period in publication.Weeks.Concat(publication.Months).Append(publication.Whole))
                foreach (var (measure, of) in shown)
                {
                    var campuses = scope == Publication.AllCampuses ? Campuses : [scope];
                    var weeks = Weeks.Where(w => period.By switch
                    {
                        Granularity.Week => w.Key == period.Key,
                        Granularity.Month => $"{w.Thursday.Year:D4}-{w.Thursday.Month:D2}" == period.Key,
                        _ => true,
                    });
                    cells.Add(([.. from c in campuses from w in weeks from m in of select variable[(c, w, m)]], publication.Count(scope, period, measure)));
                }
        Assert.DoesNotContain(cells, c => c.Shown is >= 1 and < Threshold);
        var span = new ExactSpan(cells.Where(c => c.Shown is not null).Select(c => c.Variables), variable.Count);
        Assert.DoesNotContain(cells, c => c.Shown is null && span.Contains(c.Variables));
    }

    /// <summary>Two campuses over six weeks: mostly large counts, a few small ones (3 police requests at Delta in week 12, 4 hand-overs at Alma in week 10, 2 rides without a booking, 1 ride by text at Delta).</summary>
    private static Figures Figures()
    {
        var values = new Dictionary<(string, Week, string), long>();
        foreach (var campus in Campuses)
            for (var i = 0; i < Weeks.Length; i++)
            {
                var week = Weeks[i];
                long booked = 20 + 3 * i + (campus == "delta" ? 5 : 0), without = campus == "alma" && i == 4 ? 2 : 12 + i;
                values[(campus, week, Measure.RidesBooked.Name())] = booked;
                values[(campus, week, Measure.RidesBookedByText.Name())] = campus == "delta" && i == 2 ? 1 : 6 + i;
                values[(campus, week, Measure.CallsWithoutBooking.Name())] = without;
                values[(campus, week, Measure.CallsAnswered.Name())] = booked + without;
                values[(campus, week, Measure.HandedOver.Name())] = campus == "alma" && i == 1 ? 4 : 11 + i;
                values[(campus, week, Measure.PartnerFailovers.Name())] = 0;
                values[(campus, week, Measure.Arrived.Name())] = booked - 1;
                values[(campus, week, Measure.PoliceRequests.Name())] = campus == "delta" && week.Number == 12 ? 3 : 10 + i;
                values[(campus, week, Measure.AlertsRaised.Name())] = 15;
            }
        return new Figures(values);
    }
}

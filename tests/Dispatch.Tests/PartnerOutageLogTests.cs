using System.Globalization;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Tests.Support;

namespace Alice.Dispatch.Tests;

/// <summary>
/// A partner outage in the journal: one warning when the partner starts failing, then one line with the count
/// per interval while it goes on, not a line per attempt (one ride used to write about 80 in two minutes).
/// </summary>
public class PartnerOutageLogTests
{
    [Fact]
    public async Task A_partner_down_until_the_hand_over_writes_one_warning_then_a_count_per_interval_not_a_line_per_attempt()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner, settings: new()
        {
            ["Partners:BudgetPerPartnerSeconds"] = "8",
            ["Partners:HandOverAfterSeconds"] = "8",
            ["Partners:AttemptTimeoutSeconds"] = "1",
            ["Partners:FailureSummarySeconds"] = "3",
        });
        app.CreateClient().Dispose();
        partner.Faults.Set(new() { DownUntil = DateTimeOffset.UtcNow.AddMinutes(5) });

        var ride = await app.RideWhen(await app.BookRide(), r => r.Status == RideStatus.NeedsPerson, within: TimeSpan.FromSeconds(30));

        var warnings = app.Logs.Entries.Where(e => e.StartsWith("Warning Alice.Dispatch.Partners") || e.StartsWith("Warning Alice.Dispatch.Booking")).ToList();
        var report = string.Join('\n', warnings);
        // The first failure, the ride's first retry, and a count every 3 s of the 8 s: a handful, whatever the attempts.
        Assert.True(warnings.Count <= 5, $"{warnings.Count} warnings in an 8 s outage for one ride:\n{report}");
        Assert.Single(warnings, w => w.Contains($"Partner {partner.Name} is failing"));
        var counted = warnings.Where(w => w.Contains($"Partner {partner.Name} still failing")).ToList();
        Assert.NotEmpty(counted);
        Assert.All(counted, w => Assert.True(int.Parse(w.Split("Count=")[1].Split(' ')[0], CultureInfo.InvariantCulture) > 0, w));
        Assert.Contains(app.Logs.Entries, e => e.StartsWith("Error") && e.Contains($"Ride {ride.Id}") && e.Contains("handed over to a person"));
    }
}

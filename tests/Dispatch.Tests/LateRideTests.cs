using System.Diagnostics;
using Alice.Dispatch.Campuses;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Alice.Dispatch.Tests;

/// <summary>
/// A caller bridged to a person because their ride could not be written in time never gets a ride
/// later, booked with a code nobody heard: the write never starts, or its transaction is rolled back
/// instead of committed.
/// </summary>
public class LateRideTests
{
    private static RideRequest Request() =>
        new($"late-{Guid.NewGuid():N}", "alma", "alma-metro", Languages.French, "simulator", TimeSpan.FromMinutes(2), Channel.Voice);

    [Fact]
    public async Task A_ride_whose_caller_was_bridged_before_its_write_started_is_never_written()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner);
        var answer = new CallerAnswer();
        Assert.True(answer.TryGiveUp());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            app.Services.GetRequiredService<Booking.BookingDesk>().BookAsync("CA" + Guid.NewGuid().ToString("N"), "alma", "alma-metro", Languages.French, answer, Rides.Channel.Voice));

        Assert.Empty(await app.RidesInDatabase());
    }

    [Fact]
    public async Task A_new_ride_whose_caller_was_bridged_by_the_time_of_its_commit_is_rolled_back_and_the_others_written()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner);
        var requests = Enumerable.Range(0, 3).Select(_ => Request()).ToList();

        var store = app.Services.GetRequiredService<RideStore>();
        var rows = new List<RideStore.Written>();
        for (var i = 0; i < requests.Count; i++)
        {
            var heard = i != 1;
            rows.Add(await store.InsertOrGetAsync(requests[i], () => heard, CancellationToken.None));
        }

        Assert.NotNull(rows[0].Ride);
        Assert.Null(rows[1].Ride);
        Assert.NotNull(rows[2].Ride);
        Assert.Equal(new[] { rows[0].Ride!.Id, rows[2].Ride!.Id }.Order(), (await app.RidesInDatabase()).Select(r => r.Id).Order());
        Assert.Equal(2, await app.ScalarAsync("SELECT SUM(value) FROM weekly_totals WHERE measure = 'rides_booked';"));
    }

    [Fact]
    public async Task A_key_press_whose_ride_cannot_be_written_in_time_is_bridged_to_a_person_and_no_ride_follows()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner, settings: new() { ["Twilio:AnswerWithinSeconds"] = "1" });
        app.CreateClient().Dispose();

        string twiml;
        var watch = Stopwatch.StartNew();
        await using (await NewRidesHeld.HoldAsync(app.Database))
        {
            var response = await app.PostWebhook("/twilio/pickup?lang=nl&try=1", DispatchApp.TwilioForm("CA" + Guid.NewGuid().ToString("N"), digits: "1"));
            watch.Stop();
            Assert.Equal(200, (int)response.StatusCode);
            twiml = await response.Content.ReadAsStringAsync();
        }

        Assert.Contains($"<Number>{DispatchApp.AlmaHumanLine}</Number>", twiml);
        Assert.Contains($"callerId=\"{DispatchApp.AlmaHotline}\"", twiml);
        Assert.Contains("nl-BE", twiml); // in the language the caller chose
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), $"answered after {watch.Elapsed}");
        // The write, freed once the other connection let go, found its caller gone and committed nothing: looked
        // at once the step has ended (it says so as it gives up, after its transaction was rolled back).
        await Eventually.True(() => app.Logs.Entries.Any(e => e.Contains("Booking by Voice failed (OperationCanceledException)")),
            "the freed write gave its ride up");
        Assert.Empty(await app.RidesInDatabase());
        Assert.Empty(partner.Bookings);
        Assert.Contains(app.Logs.Entries, e => e.Contains("answered without its step"));
    }
}

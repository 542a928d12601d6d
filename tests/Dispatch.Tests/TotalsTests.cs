using Alice.Dispatch.Centre;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Tests.Support;
using Alice.Totals;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Alice.Dispatch.Tests;

/// <summary>
/// The organisers' totals equal what happened: a scripted night of calls on a service of its own gives
/// exactly the expected counts, in rows that name a campus, a week and a measure only, and the counts
/// stay when the rides they counted are deleted.
/// </summary>
public class TotalsTests
{
    [Fact]
    public async Task A_scripted_night_of_calls_gives_exactly_the_expected_totals_and_they_outlive_the_rides()
    {
        // Budgets far above a loaded machine's slowest answer: only the two partners being down moves a ride on
        // (a CI run under load once saw the first ride's slow answer counted as a failover).
        await using var fleet = await Fleet.StartAsync(partners: 2, budgetPerPartnerSeconds: 6, handOverAfterSeconds: 14, attemptTimeoutSeconds: 4);
        var app = fleet.App;
        var desk = app.Services.GetRequiredService<CentreDesk>();

        // 1. Booked; the partner picks the passenger up and drops them at the centre.
        var travelled = await BookedByCallAsync(app);
        foreach (var type in new[] { "accepted", "driver_arrived", "passenger_on_board", "dropped_off" })
            Assert.Equal(System.Net.HttpStatusCode.OK, (await app.PostPartnerEvent(travelled.Partner!, PartnerEvent(travelled, type))).StatusCode);
        // 2. Booked; the centre marks the passenger arrived, and the victim asks for the police.
        var reported = await BookedByCallAsync(app);
        Assert.Equal(DeskOutcome.Done, (await desk.ArriveAsync(reported.BookingCode, "nurse", default)).Outcome);
        Assert.Equal(DeskOutcome.Done, await desk.RequestPoliceAsync(reported.Id, "nurse", default));
        // 3. Asks for a person at once: no ride.
        var person = app.Call();
        await person.PlayAsync("-0");
        // 4. Hangs up in the menu: Twilio reports the call completed.
        var hungUp = app.Call();
        await hungUp.StartAsync();
        await EndAsync(app, hungUp.CallSid);
        // 5. Both partners are down: the ride moves from the first to the second, then to a person.
        foreach (var partner in fleet.Partners) partner.Faults.Set(partner.Faults.Current with { DownUntil = DateTimeOffset.UtcNow.AddMinutes(5) });
        var stranded = app.Call();
        stranded.PauseScale = 0.2;
        await stranded.PlayAsync("-1");
        var handedOver = await app.RideWhen((await FindByCodeAsync(app, stranded.CodeHeard()!)).Id, r => r.Status == RideStatus.NeedsPerson, TimeSpan.FromSeconds(30));

        var expected = new Dictionary<string, long>
        {
            [Measure.CallsAnswered.Name()] = 5,
            [Measure.CallsWithoutBooking.Name()] = 2,
            [Measure.RidesBooked.Name()] = 3,
            [Measure.HandedOver.Name()] = 1,
            [Measure.PartnerFailovers.Name()] = 1,
            [Measure.Arrived.Name()] = 2,
            [Measure.PoliceRequests.Name()] = 1,
            [Measure.AlertsRaised.Name()] = 1,
            // Only the first ride was reported on board: one wait to pickup, one pickup to arrival, each under five minutes.
            [Histogram.BookingToPickup.Buckets[0]] = 1,
            [Histogram.PickupToArrival.Buckets[0]] = 1,
        };
        var totals = await TotalsAsync(app);
        Assert.Equal(expected.OrderBy(kv => kv.Key), totals.OrderBy(kv => kv.Key));
        Assert.Equal(["alma"], await app.ColumnAsync<string>("SELECT DISTINCT campus FROM weekly_totals;"));
        Assert.Equal([Week.Of(DateTimeOffset.UtcNow).Key], await app.ColumnAsync<string>("SELECT DISTINCT week FROM weekly_totals;"));
        Assert.NotEqual(RideStatus.NeedsPerson, (await app.Ride(travelled.Id))!.Status);
        Assert.Equal(RideStatus.NeedsPerson, handedOver.Status);

        // Every row held for a ride goes, as retention deletes them (RetentionTests runs the job itself): the totals stay.
        using (var connection = app.Database.Open())
            await connection.ExecuteAsync("DELETE FROM alerts; DELETE FROM police_requests; DELETE FROM dead_bookings; DELETE FROM partner_events; DELETE FROM rides;");
        Assert.Equal(0L, await app.ScalarAsync("SELECT COUNT(*) FROM rides;"));
        Assert.Equal(expected.OrderBy(kv => kv.Key), (await TotalsAsync(app)).OrderBy(kv => kv.Key));
    }

    [Fact]
    public async Task A_call_that_ends_while_ringing_or_on_an_unknown_number_counts_nothing()
    {
        await using var fleet = await Fleet.StartAsync(partners: 1);
        var app = fleet.App;

        var unanswered = DispatchApp.TwilioForm("CA" + Guid.NewGuid().ToString("N")).Where(kv => kv.Key != "CallStatus").Append(new("CallStatus", "no-answer"));
        var elsewhere = DispatchApp.TwilioForm("CA" + Guid.NewGuid().ToString("N"), to: "+3225559999").Where(kv => kv.Key != "CallStatus").Append(new("CallStatus", "completed"));
        Assert.True((await app.PostWebhook("/twilio/status", unanswered)).IsSuccessStatusCode);
        Assert.True((await app.PostWebhook("/twilio/status", elsewhere)).IsSuccessStatusCode);

        Assert.Empty(await TotalsAsync(app));
    }

    private static async Task<Ride> BookedByCallAsync(DispatchApp app)
    {
        var call = app.Call();
        await call.PlayAsync("-1");
        return await app.RideWhen((await FindByCodeAsync(app, call.CodeHeard()!)).Id, r => r.Status == RideStatus.Booked);
    }

    private static async Task<Ride> FindByCodeAsync(DispatchApp app, string code) =>
        await app.Services.GetRequiredService<RideStore>().FindArrivingByCodeAsync(code, default) ?? throw new InvalidOperationException("No ride for " + code);

    private static async Task EndAsync(DispatchApp app, string callSid)
    {
        var form = DispatchApp.TwilioForm(callSid).Where(kv => kv.Key != "CallStatus").Append(new("CallStatus", "completed"));
        Assert.True((await app.PostWebhook("/twilio/status", form)).IsSuccessStatusCode);
    }

    private static object PartnerEvent(Ride ride, string type) => new
    {
        eventId = Guid.NewGuid().ToString(),
        bookingId = ride.PartnerBookingId,
        reference = ride.BookingCode,
        type,
        etaMinutes = type == "accepted" ? 4 : (int?)null,
        at = DateTimeOffset.UtcNow,
    };

    private static async Task<Dictionary<string, long>> TotalsAsync(DispatchApp app)
    {
        using var connection = app.Database.Open();
        var rows = await connection.QueryAsync<(string Measure, long Value)>("SELECT measure, SUM(value) FROM weekly_totals GROUP BY measure;");
        return rows.ToDictionary(r => r.Measure, r => r.Value);
    }

}

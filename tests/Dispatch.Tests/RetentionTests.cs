using System.Text;
using Alice.Accounts;
using Alice.Dispatch.Centre;
using Alice.Dispatch.Partners;
using Alice.Dispatch.Police;
using Alice.Dispatch.Retention;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Storage;
using Alice.Dispatch.Tests.Support;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Quartz;

namespace Alice.Dispatch.Tests;

/// <summary>
/// Promise 1 over time: once a call ends nothing ties its ride to it; Twilio's record of it is deleted
/// once; an ended ride keeps its times to the hour; after the retention window no row of it is left,
/// nor its bytes in the SQLite files, while the organisers' totals stay.
/// </summary>
public class RetentionTests
{
    [Fact]
    public async Task A_call_that_ends_leaves_no_key_on_its_ride_and_a_replayed_pickup_books_nothing()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner);
        var callSid = "CA" + Guid.NewGuid().ToString("N");
        var pickup = DispatchApp.TwilioForm(callSid, digits: "1");
        Assert.Contains("code est", await (await app.PostWebhook("/twilio/pickup?lang=fr&try=1", pickup)).Content.ReadAsStringAsync());
        var callKey = app.Services.GetRequiredService<Privacy.CallKeys>().For(callSid);
        Assert.Equal(1L, await app.ScalarAsync("SELECT COUNT(*) FROM rides WHERE call_key = @callKey;", new { callKey }));

        await EndCallAsync(app, callSid);
        await EndCallAsync(app, callSid); // Twilio may send it again

        Assert.Equal(0L, await app.ScalarAsync("SELECT COUNT(*) FROM rides WHERE call_key = @callKey;", new { callKey }));
        Assert.Equal(1L, await app.ScalarAsync("SELECT COUNT(*) FROM rides WHERE call_key LIKE 'ended:%';"));
        Assert.Equal(1L, await app.ScalarAsync("SELECT COUNT(*) FROM ended_calls WHERE call_key = @callKey;", new { callKey }));
        // The repeat counted nothing: one answered call, booked.
        Assert.Equal(1L, await app.ScalarAsync("SELECT SUM(value) FROM weekly_totals WHERE measure = 'calls_answered';"));
        Assert.Equal(0L, await app.ScalarAsync("SELECT COUNT(*) FROM weekly_totals WHERE measure = 'calls_without_booking';"));

        var replayed = await (await app.PostWebhook("/twilio/pickup?lang=fr&try=1", pickup)).Content.ReadAsStringAsync();
        Assert.DoesNotContain("code est", replayed);
        Assert.Contains($"<Number>{DispatchApp.AlmaHumanLine}</Number>", replayed);
        Assert.Single(await app.RidesInDatabase());
        Assert.Contains(nameof(Booking.BookingDesk.CallEndedException), app.Logs.AllText);
    }

    [Fact]
    public async Task After_the_call_ends_Twilio_deletes_its_record_exactly_once_and_the_encrypted_call_sid_is_erased()
    {
        await using var twilio = await TwilioSimulatorHost.StartAsync();
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner, settings: twilio.Settings);
        var call = app.Call(from: "+32475111333");
        twilio.Outbox.SetFaults(new(FailNext: 1)); // Twilio fails the first deletion: it is tried again
        await call.PlayAsync("-1");                // books, hears the code, hangs up: the status callback follows

        // Held meanwhile: only ciphertext, never the CallSid itself.
        var held = (await app.ColumnAsync<string>("SELECT sid_protected FROM twilio_deletions;")).Single();
        Assert.DoesNotContain(call.CallSid, held);
        Assert.DoesNotContain(call.CallSid[2..], held);

        await Eventually.True(() => twilio.Outbox.Deleted.Contains(call.CallSid), "Twilio deleted the call record");
        await Eventually.True(async () => await app.ScalarAsync("SELECT COUNT(*) FROM twilio_deletions;") == 0, "the encrypted CallSid was erased");
        // Moments after, not at some later checkpoint: the same run that erased it scrubs the files.
        await Eventually.True(async () => AtRest.WhereIs(await AtRest.ReadAsync(app), held) is null, "no byte of the database holds the ciphertext", TimeSpan.FromSeconds(3));
        await EndCallAsync(app, call.CallSid); // a repeated status callback queues nothing more
        await app.Services.GetRequiredService<TwilioRecords>().DeleteDueAsync(default);
        Assert.Equal([call.CallSid], twilio.Outbox.Deleted);
    }

    [Fact]
    public async Task An_ended_ride_keeps_its_times_to_the_hour_and_after_the_window_nothing_of_it_is_left_but_the_totals()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner);
        var desk = app.Services.GetRequiredService<CentreDesk>();
        var police = app.Services.GetRequiredService<PoliceRequests>();

        // Ended: arrived at the centre, with an alert resolved on the way and a police request delivered.
        var ended = await app.RideWhen(await app.BookRide(), r => r.Status == RideStatus.Booked);
        Assert.True(await app.Services.GetRequiredService<AlertStore>().RaiseOnceAsync(ended, AlertKind.PickupLate, default));
        Assert.Equal(DeskOutcome.Done, (await desk.ArriveAsync(ended.BookingCode, "nurse", default)).Outcome);
        Assert.Equal(DeskOutcome.Done, await desk.RequestPoliceAsync(ended.Id, "nurse", default));
        await Eventually.True(async () => (await police.ForRideAsync(ended.Id, default))?.DeliveredAt is not null, "the police request was delivered");
        await app.Services.GetRequiredService<PartnerLedger>().MarkDeadAsync(partner.Name, "dead-" + ended.Id, ended.Id, default);
        // Still under way (its call never reported its end), made at the same time.
        var active = await app.RideWhen(await app.BookRide(), r => r.Status == RideStatus.Booked);
        var totals = await TotalsAsync(app);

        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var sweep = Sweep(app, clock);
        await sweep.RunAsync(default);
        Assert.All(await TimesAsync(app, ended.Id), t => Assert.Equal(0, t % 3600));
        Assert.Contains(await TimesAsync(app, active.Id), t => t % 3600 != 0); // an active ride keeps exact times
        Assert.All(await app.ColumnAsync<string>("SELECT created_at || ',' || COALESCE(resolved_at, 0) FROM alerts WHERE ride_id = @id;", new { id = ended.Id }),
            t => Assert.All(t.Split(','), s => Assert.Equal(0, long.Parse(s) % 3600)));

        clock.Advance(TimeSpan.FromHours(5)); // past Retention:ForgetCallAfterHours: the active ride's call key goes
        await sweep.RunAsync(default);
        Assert.StartsWith("ended:", (await app.ColumnAsync<string>("SELECT call_key FROM rides WHERE id = @id;", new { id = active.Id })).Single());
        Assert.NotNull(await app.Ride(ended.Id)); // not yet: 24 hours after its end

        clock.Advance(TimeSpan.FromHours(21));
        Assert.Equal(1, await sweep.RunAsync(default));
        Assert.Null(await app.Ride(ended.Id));
        foreach (var table in new[] { "alerts", "police_requests", "dead_bookings" })
            Assert.Equal(0L, await app.ScalarAsync($"SELECT COUNT(*) FROM {table} WHERE ride_id = @id;", new { id = ended.Id }));
        Assert.Equal(0L, await app.ScalarAsync("SELECT COUNT(*) FROM partner_events;"));
        // The staff's audit of the ride went with it (RideAuditRetentionTests has the whole story).
        Assert.Equal(0L, await app.ScalarAsync("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'ride.%' OR action LIKE 'police.%' OR action LIKE 'alert.%';"));
        // Still with its partner a day later: ended as overdue (its code is free), kept until Retention:MaxAgeHours.
        Assert.NotNull((await app.Ride(active.Id))!.EndedAt);
        Assert.Equal(0L, await app.ScalarAsync("SELECT COUNT(*) FROM rides WHERE ended_at IS NULL;"));

        clock.Advance(TimeSpan.FromHours(23));
        Assert.Equal(1, await sweep.RunAsync(default));
        Assert.Empty(await app.RidesInDatabase());
        Assert.Equal(totals, await TotalsAsync(app));
        if (!TestDatabase.IsPostgres)
            foreach (var (name, bytes) in DatabaseFiles.Read(app.Folder))
                foreach (var id in new[] { ended.Id, active.Id })
                    Assert.False(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(id)) >= 0, $"{name} still holds ride {id}");
    }

    [Fact]
    public async Task A_configuration_that_would_make_a_booking_say_where_the_passenger_goes_is_refused_at_start()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner, settings: new()
        {
            ["Hotline:Destination:PartnerName"] = "CPVS Bruxelles",
            ["Partners:Providers:0:Account"] = "alice-victimes",
        });
        var failure = Assert.Throws<OptionsValidationException>(() => app.BuildHost().Services.GetRequiredService<IOptions<Campuses.HotlineOptions>>().Value);
        Assert.Contains("Hotline:Destination:PartnerName", failure.Message);
        var account = Assert.Throws<OptionsValidationException>(() => app.BuildHost().Services.GetRequiredService<IOptions<PartnerOptions>>().Value);
        Assert.Contains("Account", account.Message);
    }

    [Fact]
    public async Task A_cancel_still_retried_when_its_rides_time_is_up_goes_with_the_ride()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner);
        var ride = await app.RideWhen(await app.BookRide(), r => r.Status == RideStatus.Booked);
        // The passenger arrived and the taxi is called off, but the partner is down: the cancel keeps trying.
        partner.Faults.Set(new() { DownUntil = DateTimeOffset.UtcNow.AddHours(1) });
        Assert.Equal(DeskOutcome.Done, (await app.Services.GetRequiredService<CentreDesk>().ArriveAsync(ride.BookingCode, "nurse", default)).Outcome);
        var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await app.Services.GetRequiredService<Booking.BookingScheduler>().ScheduleCancelAsync(partner.Name, ride.PartnerBookingId!, ride.Id, default);
        async Task<int> CancelsHeld() => (await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals("cancel-booking"))).Count;
        Assert.Equal(1, await CancelsHeld());

        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow + TimeSpan.FromHours(25));
        Assert.Equal(1, await Sweep(app, clock).RunAsync(default));

        Assert.Null(await app.Ride(ride.Id));
        Assert.Equal(0, await CancelsHeld());
    }

    /// <summary>The retention job's sweep over the service's database, on a fake clock, with the default windows.</summary>
    internal static RetentionSweep Sweep(DispatchApp app, FakeTimeProvider clock)
    {
        var services = app.Services;
        var database = services.GetRequiredService<Database>();
        var totals = new Totals.WeeklyTotals(clock);
        return new RetentionSweep(database, new EndedCalls(database), new RideMoves(database, totals, clock), new RideRetention(database), new AlertStore(database, totals, clock),
            new PartnerLedger(database, clock), new PoliceRequests(database, clock),
            services.GetRequiredService<ISchedulerFactory>(), Options.Create(new RetentionOptions()), clock, NullLogger<RetentionSweep>.Instance);
    }

    private static async Task<List<long>> TimesAsync(DispatchApp app, string id)
    {
        using var connection = app.Database.Open();
        var row = (IDictionary<string, object?>)await connection.QuerySingleAsync(
            "SELECT created_at, updated_at, ended_at, partner_since, waiting_since, hand_over_at, eta_at, on_board_at FROM rides WHERE id = @id;", new { id });
        return row.Values.Where(v => v is not null).Select(Convert.ToInt64).ToList();
    }

    private static async Task EndCallAsync(DispatchApp app, string callSid)
    {
        var form = DispatchApp.TwilioForm(callSid).Where(kv => kv.Key != "CallStatus").Append(new("CallStatus", "completed"));
        Assert.True((await app.PostWebhook("/twilio/status", form)).IsSuccessStatusCode);
    }

    private static async Task<Dictionary<string, long>> TotalsAsync(DispatchApp app)
    {
        using var connection = app.Database.Open();
        return (await connection.QueryAsync<(string Campus, string Week, string Measure, long Value)>("SELECT campus, week, measure, SUM(value) FROM weekly_totals GROUP BY campus, week, measure;"))
            .ToDictionary(r => $"{r.Campus}/{r.Week}/{r.Measure}", r => r.Value);
    }
}

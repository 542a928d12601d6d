using Alice.Dispatch.Campuses;
using Alice.Dispatch.Centre;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Storage;
using Alice.Dispatch.Tests.Support;
using Alice.Dispatch.Twilio;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Alice.Dispatch.Tests;

/// <summary>
/// Every alert reaches a person outside the console: the campus's on-call phone at once, its second
/// number when nobody acknowledges in time, through Twilio failures. Timing on a fake clock; the real
/// clock only for the end-to-end path.
/// </summary>
public class SafetyNetTests
{
    private const string OnCall = CampusNumbers.OnCall;
    private const string Escalation = CampusNumbers.Escalation;
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan EscalateAfter = TimeSpan.FromMinutes(5);

    private static OpenAlert Alert(int createdAgo = 0, bool notified = false, bool escalated = false, bool acknowledged = false, int? retryIn = null) =>
        new("a", "r", AlertKind.NeedsPerson, T0 - TimeSpan.FromSeconds(createdAgo), acknowledged ? T0 : null, acknowledged ? "nina" : null,
            notified ? T0 : null, escalated ? T0 : null, retryIn is null ? 0 : 1, retryIn is { } s ? T0 + TimeSpan.FromSeconds(s) : null);

    /// <summary>Whom the alert is due to reach now: false the on-call phone, true the second number, null nobody.</summary>
    private static readonly Dictionary<string, (OpenAlert Alert, bool? Due)> Dues = new()
    {
        ["a new alert reaches the on-call phone"] = (Alert(), false),
        ["a notified alert is not sent again"] = (Alert(createdAgo: 60, notified: true), null),
        ["not escalated before its time"] = (Alert(createdAgo: 299, notified: true), null),
        ["escalated once its time has come"] = (Alert(createdAgo: 300, notified: true), true),
        ["escalated once only"] = (Alert(createdAgo: 900, notified: true, escalated: true), null),
        ["acknowledged: never escalated"] = (Alert(createdAgo: 900, notified: true, acknowledged: true), null),
        ["acknowledged before any message: none is sent"] = (Alert(acknowledged: true), null),
        ["a failed try waits for its pause"] = (Alert(retryIn: 3), null),
        ["a failed try is tried again after it"] = (Alert(retryIn: 0), false),
    };

    public static TheoryData<string> DueScenarios => [.. Dues.Keys];

    [Theory]
    [MemberData(nameof(DueScenarios))]
    public void Whom_an_alert_is_due_to_reach(string scenario) =>
        Assert.Equal(Dues[scenario].Due, AlertNotifier.Due(Dues[scenario].Alert, T0, EscalateAfter));

    [Fact]
    public void Failed_tries_are_repeated_after_a_growing_pause_of_at_most_a_minute() =>
        Assert.Equal([5, 10, 20, 40, 60, 60], Enumerable.Range(1, 6).Select(n => (int)AlertNotifier.Pause(n).TotalSeconds));

    [Fact]
    public async Task An_unacknowledged_alert_reaches_the_on_call_phone_then_the_second_number_on_time_through_twilio_failures()
    {
        await using var setup = await Setup.StartAsync();
        var alert = await setup.AlertAsync();
        setup.Twilio.Outbox.SetFaults(new(FailNext: 2)); // Twilio down for the first two tries

        await setup.RunAsync(TimeSpan.Zero);                // fails: tried again in 5 s
        await setup.RunAsync(TimeSpan.FromSeconds(3));      // still pausing
        await setup.RunAsync(TimeSpan.FromSeconds(2));      // fails again: 10 s
        Assert.Empty(setup.Twilio.Outbox.All);
        await setup.RunAsync(TimeSpan.FromSeconds(10));     // reaches the on-call phone
        Assert.Equal([OnCall, OnCall], setup.Twilio.Outbox.All.Select(s => s.To));

        await setup.RunAsync(EscalateAfter - TimeSpan.FromSeconds(16)); // 299 s after the alert: not yet
        Assert.Equal(2, setup.Twilio.Outbox.All.Count);
        await setup.RunAsync(TimeSpan.FromSeconds(1));      // 300 s: nobody acknowledged, the second number
        Assert.Equal([OnCall, OnCall, Escalation, Escalation], setup.Twilio.Outbox.All.Select(s => s.To));
        await setup.RunAsync(TimeSpan.FromMinutes(10));
        Assert.Equal(4, setup.Twilio.Outbox.All.Count);    // once each
        Assert.All(setup.Twilio.Outbox.All, s => Assert.Equal(DispatchApp.AlmaHotline, s.From));
        Assert.Contains("ESCALADE", setup.Twilio.Outbox.All[2].Text);
        Assert.NotNull(alert);
    }

    [Fact]
    public async Task An_alert_acknowledged_in_the_console_is_not_escalated()
    {
        await using var setup = await Setup.StartAsync();
        var alert = await setup.AlertAsync();
        await setup.RunAsync(TimeSpan.Zero);
        Assert.Equal(2, setup.Twilio.Outbox.All.Count);

        setup.Clock.Advance(TimeSpan.FromMinutes(1));
        await setup.AcknowledgeAsync(alert);
        await setup.RunAsync(TimeSpan.FromMinutes(30));

        Assert.Equal([OnCall, OnCall], setup.Twilio.Outbox.All.Select(s => s.To));
    }

    public static TheoryData<int, bool> PickupTimes => new()
    {
        { 0, false },
        { 14, false },   // ETA plus the margin not yet passed
        { 16, true },
    };

    [Theory]
    [MemberData(nameof(PickupTimes))]
    public async Task A_confirmed_ride_whose_driver_is_late_at_the_pickup_raises_one_alert(int minutesAfterBooking, bool raised)
    {
        await using var setup = await Setup.StartAsync();
        // Booked at T0 with an ETA of 5 minutes; the margin is 10.
        var ride = await setup.BookedRideAsync(etaMinutes: 5);
        setup.Clock.Advance(TimeSpan.FromMinutes(minutesAfterBooking));

        Assert.Equal(raised ? 1 : 0, await setup.Watchdog.RunAsync(default));
        Assert.Equal(0, await setup.Watchdog.RunAsync(default)); // one late taxi, one alert
        Assert.Equal(raised, (await setup.Alerts.OpenAlertsAsync(default)).Any(a => a.RideId == ride.Id && a.Kind == AlertKind.PickupLate));
    }

    [Fact]
    public async Task A_ride_no_partner_confirms_reaches_the_on_call_phone_within_seconds_and_says_nothing_of_the_caller()
    {
        await using var twilio = await TwilioSimulatorHost.StartAsync();
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        partner.Faults.Set(new() { DownUntil = DateTimeOffset.UtcNow.AddMinutes(5) });
        await using var app = new DispatchApp(partner, settings: new(twilio.Settings)
        {
            ["Partners:HandOverAfterSeconds"] = "1", ["Partners:BudgetPerPartnerSeconds"] = "1", ["Centre:WatchEverySeconds"] = "1",
        });
        var call = app.Call(from: "+32470999888");
        await call.PlayAsync("-1");
        var code = call.CodeHeard()!;

        var sent = await twilio.SentWhen(all => all.Count >= 2);

        var sms = Assert.Single(sent, s => s.Kind == "message");
        Assert.Equal((OnCall, DispatchApp.AlmaHotline), (sms.To, sms.From));
        Assert.Contains($"trajet {code} (Métro Alma)", sms.Text);
        Assert.Contains("/centre", sms.Text);
        var spoken = Assert.Single(sent, s => s.Kind == "call");
        Assert.Contains("voice=\"Polly.Isabelle-Neural\" language=\"fr-BE\"", spoken.Text);
        Assert.Contains(string.Join(", ", code.ToCharArray()), spoken.Text);
        Assert.All(sent, s => Assert.DoesNotContain("470999888", s.Text + s.To));
        Assert.All(sent, s => Assert.DoesNotContain(call.CallSid, s.Text));
    }

    /// <summary>A service whose own safety net stays quiet, and the safety net's parts on a fake clock over its database.</summary>
    private sealed class Setup : IAsyncDisposable
    {
        public required TwilioSimulatorHost Twilio { get; init; }
        public required PartnerSimulatorHost Partner { get; init; }
        public required DispatchApp App { get; init; }
        public FakeTimeProvider Clock { get; } = new(T0);
        public AlertStore Alerts { get; private set; } = null!;
        public RideStore Rides { get; private set; } = null!;
        public AlertNotifier Notifier { get; private set; } = null!;
        public PickupWatchdog Watchdog { get; private set; } = null!;

        public static async Task<Setup> StartAsync()
        {
            var twilio = await TwilioSimulatorHost.StartAsync();
            var partner = new PartnerSimulatorHost();
            await partner.InitializeAsync();
            // The service's own jobs look once at start, then not for a minute: the test drives its own.
            var app = new DispatchApp(partner, settings: new(twilio.Settings) { ["Centre:WatchEverySeconds"] = "60" });
            var setup = new Setup { Twilio = twilio, Partner = partner, App = app };
            var services = app.Services;
            var database = services.GetRequiredService<Database>();
            var options = Options.Create(new CentreOptions { EscalateAfterSeconds = (int)EscalateAfter.TotalSeconds, PickupMarginMinutes = 10 });
            var totals = new Totals.WeeklyTotals(setup.Clock);
            setup.Alerts = new AlertStore(database, totals, setup.Clock);
            setup.Rides = new RideStore(database, new EndedCalls(database), totals, setup.Clock);
            setup.Notifier = new AlertNotifier(setup.Alerts, setup.Rides, services.GetRequiredService<CampusDirectory>(),
                new OnCallPhone(services.GetRequiredService<TwilioRest>(), services.GetRequiredService<Voices>(), options, services.GetRequiredService<IOptions<TwilioOptions>>()),
                options, setup.Clock, NullLogger<AlertNotifier>.Instance);
            setup.Watchdog = new PickupWatchdog(new RideBoard(database), setup.Alerts, options, setup.Clock, NullLogger<PickupWatchdog>.Instance);
            return setup;
        }

        /// <summary>A ride the partner has booked, as of the fake clock's now, with this ETA.</summary>
        public async Task<Ride> BookedRideAsync(int etaMinutes)
        {
            var ride = await App.RideWhen(await App.BookRide(), r => r.Status == RideStatus.Booked);
            await using var connection = App.Database.Open();
            await Dapper.SqlMapper.ExecuteAsync(connection, "UPDATE rides SET eta_at = @at WHERE id = @id;",
                new { at = (T0 + TimeSpan.FromMinutes(etaMinutes)).ToUnixTimeSeconds(), id = ride.Id });
            return ride;
        }

        /// <summary>An alert raised at the fake clock's now for a ride of the Alma campus.</summary>
        public async Task<OpenAlert> AlertAsync()
        {
            var ride = await BookedRideAsync(etaMinutes: 5);
            Assert.True(await Alerts.RaiseOnceAsync(ride, AlertKind.NeedsPerson, default));
            return (await Alerts.OpenAlertsAsync(default)).Single(a => a.RideId == ride.Id);
        }

        public async Task AcknowledgeAsync(OpenAlert alert)
        {
            await using var connection = await App.Services.GetRequiredService<Database>().OpenAsync();
            await using var tx = await connection.BeginTransactionAsync();
            Assert.True(await Alerts.AcknowledgeAsync(tx, alert.Id, "nina", default));
            await tx.CommitAsync();
        }

        /// <summary>Moves the fake clock on, then lets the notifier look once, as its job would.</summary>
        public async Task RunAsync(TimeSpan after)
        {
            Clock.Advance(after);
            await Notifier.RunAsync(default);
        }

        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            await Partner.DisposeAsync();
            await Twilio.DisposeAsync();
        }
    }
}

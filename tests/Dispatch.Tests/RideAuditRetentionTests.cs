using Alice.Accounts;
using Alice.Dispatch.Centre;
using Alice.Dispatch.Police;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Alice.Dispatch.Tests;

/// <summary>
/// The staff's audit of a ride (who received the person, who asked for the police, and when) goes with the
/// ride's retention window, leaving only the weekly totals; the audit of accounts stays.
/// </summary>
public class RideAuditRetentionTests
{
    [Fact]
    public async Task After_the_window_no_audit_entry_about_the_ride_is_left_but_the_totals_and_the_account_entries_are()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner);
        var desk = app.Services.GetRequiredService<CentreDesk>();
        await using (var scope = app.Services.CreateAsyncScope())
            Assert.Null((await scope.ServiceProvider.GetRequiredService<AccountService>().InviteAsync("nurse-audit", Roles.Centre, "an operator", default)).Error);

        // A full ride: booked, received at the centre by a nurse, who asks for the police; an alert acknowledged on the way.
        var ride = await app.RideWhen(await app.BookRide(), r => r.Status == RideStatus.Booked);
        Assert.True(await app.Services.GetRequiredService<AlertStore>().RaiseOnceAsync(ride, AlertKind.PickupLate, default));
        var alert = (await app.Services.GetRequiredService<AlertStore>().OpenAlertsAsync(default)).Single(a => a.RideId == ride.Id);
        Assert.Equal(DeskOutcome.Done, await desk.AcknowledgeAsync(alert.Id, "nurse-audit", default));
        Assert.Equal(DeskOutcome.Done, (await desk.ArriveAsync(ride.BookingCode, "nurse-audit", default)).Outcome);
        Assert.Equal(DeskOutcome.Done, await desk.RequestPoliceAsync(ride.Id, "nurse-audit", default));
        var police = app.Services.GetRequiredService<PoliceRequests>();
        await Eventually.True(async () => (await police.ForRideAsync(ride.Id, default))?.DeliveredAt is not null, "the police request was delivered");
        Assert.Equal(3L, await app.ScalarAsync("SELECT COUNT(*) FROM audit_log WHERE actor = 'nurse-audit';"));
        var totals = await WeekAsync(app);
        Assert.Equal((1L, 1L), (totals.GetValueOrDefault("arrived"), totals.GetValueOrDefault("police_requests")));

        // The ride's retention window has passed: the sweep deletes it, and its audit with it.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow + TimeSpan.FromHours(25));
        Assert.Equal(1, await RetentionTests.Sweep(app, clock).RunAsync(default));

        Assert.Null(await app.Ride(ride.Id));
        Assert.Equal(0L, await app.ScalarAsync("SELECT COUNT(*) FROM audit_log WHERE actor = 'nurse-audit';"));
        Assert.Equal(0L, await app.ScalarAsync("SELECT COUNT(*) FROM audit_log WHERE action NOT LIKE 'account.%';"));
        Assert.Equal(0L, await app.ScalarAsync("SELECT COUNT(*) FROM audit_log WHERE subject LIKE @code OR subject LIKE @id OR subject LIKE @alert;",
            new { code = $"%{ride.BookingCode}%", id = $"%{ride.Id}%", alert = $"%{alert.Id}%" }));
        // Left: how many, by week, and the accounts' own story.
        Assert.Equal(totals, await WeekAsync(app));
        Assert.Equal(1L, await app.ScalarAsync("SELECT COUNT(*) FROM audit_log WHERE action = 'account.invited' AND subject LIKE 'nurse-audit%';"));
    }

    /// <summary>
    /// Whatever actions the audit has, now or later: each is written once, long ago, and the sweep leaves
    /// exactly those about an account. An action about a ride added later needs no list to be kept up to date.
    /// </summary>
    [Fact]
    public async Task Every_audit_action_about_a_ride_leaves_with_the_rides_and_every_one_about_an_account_stays()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner);
        // Written now and swept as if 400 days had passed: the service's own sweep, which runs on the real
        // clock at start and every minute (once more here, meanwhile), leaves them alone until then.
        var audit = new AuditLog(app.Services.GetRequiredService<AccountsDatabase>(), TimeProvider.System);
        foreach (var action in AuditActions.All) await audit.WriteAsync("nurse-every-action", action, "0000", default);
        await (await JobRuns.WatchAsync(app, Retention.RetentionJob.Key)).RunNowAsync();
        Assert.Equal(AuditActions.All.Count, await app.ScalarAsync("SELECT COUNT(*) FROM audit_log WHERE actor = 'nurse-every-action';"));

        await RetentionTests.Sweep(app, new FakeTimeProvider(DateTimeOffset.UtcNow + TimeSpan.FromDays(400))).RunAsync(default);

        var left = await app.ColumnAsync<string>("SELECT action FROM audit_log WHERE actor = 'nurse-every-action';");
        Assert.Equal(AuditActions.All.Where(a => a.About() == AuditSubject.Account).Select(a => a.Name()).Order(), left.Order());
        Assert.Contains(AuditActions.All, a => a.About() == AuditSubject.Ride); // the sweep had something to delete
    }

    /// <summary>Old databases hold these names: the mapping may gain actions, never rename one.</summary>
    [Fact]
    public void The_stored_names_of_the_audit_actions_are_those_old_entries_hold()
    {
        var names = AuditActions.All.ToDictionary(a => a, a => a.Name());
        Assert.Equal("account.invited", names[AuditAction.AccountInvited]);
        Assert.Equal("account.enrolled", names[AuditAction.AccountEnrolled]);
        Assert.Equal("account.second-factor-reset", names[AuditAction.AccountSecondFactorReset]);
        Assert.Equal("account.disabled", names[AuditAction.AccountDisabled]);
        Assert.Equal("account.removed", names[AuditAction.AccountRemoved]);
        Assert.Equal("ride.arrived", names[AuditAction.RideArrived]);
        Assert.Equal("alert.acknowledged", names[AuditAction.AlertAcknowledged]);
        Assert.Equal("alert.resolved", names[AuditAction.AlertResolved]);
        Assert.Equal("police.requested", names[AuditAction.PoliceRequested]);
        Assert.Equal("partner.accepted", names[AuditAction.PartnerAccepted]);
        Assert.Equal("partner.driver-arrived", names[AuditAction.PartnerDriverArrived]);
        Assert.Equal("partner.passenger-on-board", names[AuditAction.PartnerPassengerOnBoard]);
        Assert.Equal("partner.dropped-off", names[AuditAction.PartnerDroppedOff]);
        Assert.Equal("partner.cannot-serve", names[AuditAction.PartnerCannotServe]);
        Assert.Equal(names.Count, names.Values.Distinct().Count());
        Assert.All(AuditActions.All, a => Assert.Equal(a, AuditActions.Parse(a.Name())));
        Assert.Null(AuditActions.Parse("account.unknown"));
    }

    private static async Task<Dictionary<string, long>> WeekAsync(DispatchApp app) =>
        (await app.ColumnAsync<string>("SELECT measure || '=' || SUM(value) FROM weekly_totals GROUP BY measure;"))
            .Select(m => m.Split('=')).ToDictionary(m => m[0], m => long.Parse(m[1]));
}

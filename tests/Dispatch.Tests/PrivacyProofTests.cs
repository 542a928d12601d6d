using Alice.Accounts;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Tests.Support;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Alice.Dispatch.Tests;

/// <summary>
/// Promise 1, end to end: every flow the service has, played with known phone numbers and CallSids,
/// then every byte it wrote (database files or dump, job store, key ring, every log entry at every
/// level) searched for them; then, after the retention window, nothing of any ride is left.
/// </summary>
public class PrivacyProofTests
{
    private static readonly string[] Numbers = ["+32475100201", "+32475100202", "+32475100203", "+32475100204"];

    [Fact]
    public async Task After_every_flow_no_byte_written_holds_a_caller_and_after_retention_nothing_of_a_ride_is_left()
    {
        await using var twilio = await TwilioSimulatorHost.StartAsync();
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner, settings: FlowSettings(twilio));
        var (calls, texted, handedOver) = await PlayEveryFlowAsync(app, partner, twilio);

        // The numbers in three forms, the CallSids with and without their prefix, and the text messages' SIDs.
        var secrets = Secrets(calls, texted);
        var written = await AtRest.ReadAsync(app);
        Assert.Contains(written, w => w.Name.Contains("data_protection_keys") || w.Name.EndsWith(".db")); // the key ring is among what is searched
        AssertHoldsNone(written, secrets);
        Assert.Contains(handedOver, app.Logs.AllText); // the logs were captured, at every level
        foreach (var secret in secrets) Assert.DoesNotContain(secret, app.Logs.AllText);
        foreach (var booking in partner.Bookings)
            foreach (var secret in secrets) Assert.DoesNotContain(secret, booking.Body.GetRawText());

        // The search finds what it looks for: a number planted in the audit and in a log entry is found in both.
        await app.Services.GetRequiredService<AuditLog>().WriteAsync("control", AuditAction.RideArrived, Numbers[0], default);
        app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Control").LogDebug("planted {Number}", Numbers[1]);
        Assert.NotNull(AtRest.WhereIs(await AtRest.ReadAsync(app), Numbers[0]));
        Assert.Contains(Numbers[1], app.Logs.AllText);

        // After the retention window: no ride row, none of their exact times, none of their bytes in the files.
        var rides = await RidesAsync(app);
        Assert.Equal(3, rides.Count);
        // A staff member's own login in the same second as a ride is the staff's time, kept by the audit.
        var staffTimes = (await app.ColumnAsync<long>("SELECT at FROM audit_log WHERE action LIKE 'account.%';")).ToHashSet();
        var times = rides.SelectMany(r => r.Times).Where(t => t % 3600 != 0 && !staffTimes.Contains(t)).Select(t => t.ToString(System.Globalization.CultureInfo.InvariantCulture)).Distinct().ToList();
        Assert.NotEmpty(times);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(49));
        await RetentionTests.Sweep(app, clock).RunAsync(default);
        Assert.Empty(await app.RidesInDatabase());
        var dump = await app.Database.DumpTablesAsync();
        foreach (var (table, text) in dump)
        {
            foreach (var ride in rides) Assert.DoesNotContain(ride.Id, text);
            // As whole numbers: the job store's times are milliseconds, and may start with the same digits.
            foreach (var time in times) Assert.False(System.Text.RegularExpressions.Regex.IsMatch(text, $"(?<![0-9]){time}(?![0-9])"), $"{table} still holds the time {time}");
        }
        if (!TestDatabase.IsPostgres)
            AssertHoldsNone(DatabaseFiles.Read(app.Folder), rides.Select(r => r.Id).ToList());
    }

    /// <summary>The settings every flow is played with: a partner down hands its ride to a person within seconds.</summary>
    internal static Dictionary<string, string?> FlowSettings(TwilioSimulatorHost twilio, Dictionary<string, string?>? more = null) =>
        new(new Dictionary<string, string?>(twilio.Settings)
        {
            ["Partners:BudgetPerPartnerSeconds"] = "2",
            ["Partners:HandOverAfterSeconds"] = "3",
        }.Concat(more ?? []));

    /// <summary>The numbers in three forms, the CallSids with and without their prefix, and the text messages' SIDs.</summary>
    internal static List<string> Secrets(List<DevPhone.SimulatedCall> calls, List<string> texted) =>
        Numbers.SelectMany(n => new[] { n, n[1..], "0" + n[3..] }).Concat(calls.SelectMany(c => new[] { c.CallSid, c.CallSid[2..] })).Concat(texted).ToList();

    /// <summary>
    /// Every flow the service has, in three languages: a booking with a text about the car, a police request, a
    /// person asked for, a partner down and an alert handled in the console; then every Twilio record deleted.
    /// </summary>
    internal static async Task<(List<DevPhone.SimulatedCall> Calls, List<string> Texted, string HandedOver)> PlayEveryFlowAsync(
        DispatchApp app, PartnerSimulatorHost partner, TwilioSimulatorHost twilio)
    {
        using var nurse = await Staff.LoggedInAsync(app, Roles.Centre, "nurse-proof");
        var calls = new List<DevPhone.SimulatedCall>();

        // French: booked from the first point, asks for the car by text (key 2 after the code); the partner
        // names the car, the text goes out and the number is erased; the partner takes the passenger to the centre.
        var french = await PlayAsync(app, calls, Numbers[0], "-12");
        var travelled = await RideByCodeAsync(app, french.CodeHeard()!);
        Assert.True((await app.PostPartnerEvent(partner.Name, Event(travelled, "accepted"))).IsSuccessStatusCode);
        await Eventually.True(() => twilio.Outbox.All.Any(m => m.To == Numbers[0] && m.Text.Contains("1-XYZ-987")), "the car was texted");
        await Eventually.True(async () => await app.ScalarAsync("SELECT COUNT(*) FROM sms_consents;") == 0, "the number was erased");
        foreach (var type in new[] { "driver_arrived", "passenger_on_board", "dropped_off" })
            Assert.True((await app.PostPartnerEvent(partner.Name, Event(travelled, type))).IsSuccessStatusCode);

        // Dutch: booked; the centre marks the arrival and the victim asks for the police.
        var dutch = await PlayAsync(app, calls, Numbers[1], "22");
        var reported = await RideByCodeAsync(app, dutch.CodeHeard()!);
        Assert.Equal(System.Net.HttpStatusCode.Redirect,
            (await nurse.PostAsync("/centre/arrivals", await nurse.Client.GetStringAsync("/centre"), new() { ["code"] = reported.BookingCode })).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Redirect,
            (await nurse.PostAsync($"/centre/rides/{reported.Id}/police", await nurse.Client.GetStringAsync("/centre"), new() { ["confirmed"] = "yes" })).StatusCode);

        // English: asks for a person at once.
        await PlayAsync(app, calls, Numbers[2], "30");

        // English, with the partner down: a person takes over; the alert is acknowledged, then resolved.
        partner.Faults.Set(new() { DownUntil = DateTimeOffset.UtcNow.AddMinutes(5) });
        var stranded = await PlayAsync(app, calls, Numbers[3], "31");
        var handedOver = await app.RideWhen((await RideByCodeAsync(app, stranded.CodeHeard()!)).Id, r => r.Status == RideStatus.NeedsPerson);
        partner.Faults.Set(new());
        var page = await nurse.Client.GetStringAsync("/centre");
        var alertId = System.Text.RegularExpressions.Regex.Match(page, "data-alert=\"([^\"]+)\"").Groups[1].Value;
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await nurse.PostAsync($"/centre/alerts/{alertId}/acknowledge", page, [])).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await nurse.PostAsync($"/centre/alerts/{alertId}/resolve", page, [])).StatusCode);

        // Every call has ended and Twilio has deleted its record; the police request reached its zone.
        var texted = twilio.Outbox.All.Where(m => m.Kind == "message" && Numbers.Contains(m.To)).Select(m => m.Sid).ToList();
        Assert.NotEmpty(texted);
        await Eventually.True(() => calls.Select(c => c.CallSid).Concat(texted).All(twilio.Outbox.Deleted.Contains), "Twilio deleted every call's and message's record");
        await Eventually.True(async () => await app.ScalarAsync("SELECT COUNT(*) FROM twilio_deletions;") == 0, "the encrypted CallSids were erased");
        await Eventually.True(async () => await app.ScalarAsync("SELECT COUNT(*) FROM police_requests WHERE delivered_at IS NOT NULL;") == 1, "the police request was delivered");
        Assert.Equal(calls.Count + texted.Count, twilio.Outbox.Deleted.Count);
        return (calls, texted, handedOver.Id);
    }

    private static async Task<DevPhone.SimulatedCall> PlayAsync(DispatchApp app, List<DevPhone.SimulatedCall> calls, string from, string keys)
    {
        var call = app.Call(from: from);
        calls.Add(call);
        await call.PlayAsync(keys);
        Assert.True(call.Ended);
        return call;
    }

    private static async Task<Ride> RideByCodeAsync(DispatchApp app, string code) =>
        await app.Services.GetRequiredService<RideStore>().FindArrivingByCodeAsync(code, default) ?? throw new InvalidOperationException("No ride for " + code);

    private static object Event(Ride ride, string type) => new
    {
        eventId = Guid.NewGuid().ToString(), bookingId = ride.PartnerBookingId, reference = ride.BookingCode, type,
        etaMinutes = type == "accepted" ? 6 : (int?)null,
        vehicle = type == "accepted" ? new { description = "Grey Skoda Octavia", plate = "1-XYZ-987" } : null,
        at = DateTimeOffset.UtcNow,
    };

    private static void AssertHoldsNone(List<(string Name, byte[] Bytes)> written, IReadOnlyList<string> secrets)
    {
        foreach (var secret in secrets) Assert.Null(AtRest.WhereIs(written, secret));
    }

    private static async Task<List<(string Id, long[] Times)>> RidesAsync(DispatchApp app)
    {
        using var connection = app.Database.Open();
        var rows = await connection.QueryAsync("SELECT id, created_at, updated_at, ended_at, partner_since, waiting_since, hand_over_at, eta_at, on_board_at FROM rides;");
        return rows.Cast<IDictionary<string, object?>>()
            .Select(r => ((string)r["id"]!, r.Where(kv => kv.Key != "id" && kv.Value is not null).Select(kv => Convert.ToInt64(kv.Value)).ToArray())).ToList();
    }
}

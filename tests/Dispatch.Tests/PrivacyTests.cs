using System.Text;
using Alice.Dispatch.Tests.Support;

namespace Alice.Dispatch.Tests;

/// <summary>
/// Promise 1: after a whole call, neither the caller's number nor Twilio's CallSid is anywhere at rest:
/// not in the database (rides and job store; on SQLite every byte of its files), not in the logs,
/// not in what the partner received.
/// </summary>
public class PrivacyTests
{
    private const string CallerNumber = "+32475987654";

    [Fact]
    public async Task After_a_full_call_no_byte_at_rest_or_in_the_logs_holds_the_callers_number_or_call_sid()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        var app = new DispatchApp(partner);
        var call = app.Call(from: CallerNumber);
        await call.StartAsync();
        await call.WaitAsync();        // French
        await call.PressAsync('2');    // Cliniques Saint-Luc: the ride is written, the caller hears its code
        var code = call.CodeHeard()!;
        var booking = await partner.BookingFor(code);
        // Waited for, not raced: a key press before the partner booked would hear the code again and wait on the line.
        await WaitUntilBooked(app, code);
        await call.PressAsync('1');    // the code again, now with the taxi confirmed; goodbye, status callback
        Assert.True(call.Ended);

        string[] secrets = [CallerNumber, CallerNumber[1..], CallerNumber[3..], call.CallSid, call.CallSid[2..]];
        var whileRunning = await AtRest.ReadAsync(app);
        await app.StopAsync();         // on SQLite, shutdown checkpoints the WAL: look again at what stays
        var afterShutdown = await AtRest.ReadAsync(app);
        await app.DisposeAsync();

        foreach (var (name, bytes) in whileRunning.Concat(afterShutdown))
            foreach (var secret in secrets)
            {
                Assert.False(AtRest.Contains(bytes, Encoding.UTF8.GetBytes(secret)), $"{name} holds {secret} (UTF-8)");
                Assert.False(AtRest.Contains(bytes, Encoding.Unicode.GetBytes(secret)), $"{name} holds {secret} (UTF-16)");
            }
        // The search looks in the right place: the ride itself is in those files.
        Assert.Contains(whileRunning.Concat(afterShutdown), f => AtRest.Contains(f.Bytes, Encoding.UTF8.GetBytes(booking.IdempotencyKey)));

        var logs = app.Logs.AllText;
        Assert.NotEmpty(app.Logs.Entries);
        Assert.Contains(booking.IdempotencyKey, logs);  // the logs were captured: the booking job logged the ride id
        foreach (var secret in secrets) Assert.DoesNotContain(secret, logs);
        foreach (var secret in secrets) Assert.DoesNotContain(secret, booking.Body.GetRawText());
    }

    /// <summary>Words that would tell the taxi company what the ride is, in the service's three languages.</summary>
    private static readonly string[] Revealing =
        ["CPVS", "ZSG", "sexual", "sexuel", "seksueel", "seksuele", "victim", "victime", "slachtoffer", "violence", "geweld", "agression", "aggression", "assault", "viol", "rape", "verkrachting", "zedenzorg"];

    [Fact]
    public async Task The_partner_is_told_no_word_of_what_the_ride_is_for_and_no_time_finer_than_a_minute()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner);
        var ride = await app.RideWhen(await app.BookRide(digits: "2"), r => r.Status == Rides.RideStatus.Booked);

        var body = (await partner.BookingFor(ride.BookingCode)).Body;
        var text = body.GetRawText();
        foreach (var word in Revealing) Assert.DoesNotContain(word, text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Saint-Pierre", body.GetProperty("destination").GetProperty("name").GetString()); // the hospital's door
        var times = System.Text.RegularExpressions.Regex.Matches(text, @"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?");
        Assert.NotEmpty(times);
        Assert.All(times, t => Assert.Equal(0, DateTimeOffset.Parse(t.Value + "Z", System.Globalization.CultureInfo.InvariantCulture).Second));
        Assert.All(times, t => Assert.DoesNotMatch(@"\.\d", t.Value));
    }

    private static Task WaitUntilBooked(DispatchApp app, string code) =>
        Eventually.True(async () => (await app.RidesInDatabase()).Any(r => r.BookingCode == code && r.Status == "booked"), $"the ride with code {code} is marked booked", TimeSpan.FromSeconds(5));
}

using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Alice.Signatures;
using Dapper;

namespace Alice.EndToEnd.Tests;

/// <summary>
/// Promise 2 against a real crash: the dispatch service is killed with SIGKILL at a point of a booking,
/// then started again on the same database. Every ride must end booked, exactly once at the partner.
/// </summary>
public partial class CrashSafetyTests : IAsyncLifetime
{
    private const string Token = "crash-test-twilio-token";
    private readonly string _folder;
    private readonly TestDatabase _database;
    private readonly string _dispatchUrl = $"http://127.0.0.1:{Repo.FreePort()}";
    private readonly string _partnerUrl = $"http://127.0.0.1:{Repo.FreePort()}";
    private HostProcess _partner = null!;
    private HostProcess? _dispatch;
    private readonly HttpClient _http = new();

    [GeneratedRegex(@"code est : ([1-9]), ([1-9]), ([1-9]), ([1-9])\.")]
    private static partial Regex CodeLine();

    public CrashSafetyTests()
    {
        _folder = Directory.CreateTempSubdirectory("alice-crash-").FullName;
        _database = new TestDatabase(_folder);
    }

    public async Task InitializeAsync()
    {
        _partner = await HostProcess.StartAsync("infra/PartnerSimulator", "Alice.PartnerSimulator", _partnerUrl,
            new Dictionary<string, string> { ["Simulator__Secret"] = RunningService.PartnerSecret });
        await StartDispatchAsync();
    }

    public async Task DisposeAsync()
    {
        if (_dispatch is not null) await _dispatch.DisposeAsync();
        await _partner.DisposeAsync();
        _http.Dispose();
        _database.Dispose();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private async Task StartDispatchAsync() =>
        _dispatch = await HostProcess.StartAsync("src/Dispatch", "Alice.Dispatch", _dispatchUrl,
            ProductionDispatch.Environment(_database.EnvironmentVariables, _dispatchUrl, _partnerUrl, Token));

    private async Task SetFaultsAsync(object faults, int downForSeconds = 0) =>
        (await _http.PostAsJsonAsync($"{_partnerUrl}/faults?downForSeconds={downForSeconds}", faults)).EnsureSuccessStatusCode();

    /// <summary>A caller's key press at the pickup menu, signed as Twilio signs it; returns the code heard.</summary>
    private async Task<string> BookAsync()
    {
        const string path = "/twilio/pickup?lang=fr&try=1";
        var callSid = "CA" + Guid.NewGuid().ToString("N");
        List<KeyValuePair<string, string>> form =
        [
            new("CallSid", callSid), new("From", CampusNumbers.CallerFor(callSid)), new("To", CampusNumbers.Hotline), new("Digits", "1"),
        ];
        var request = new HttpRequestMessage(HttpMethod.Post, _dispatchUrl + path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioWebhookSigner.Header, TwilioWebhookSigner.Sign(Token, _dispatchUrl + path, form));
        var twiml = await (await _http.SendAsync(request)).Content.ReadAsStringAsync();
        var match = CodeLine().Match(twiml);
        Assert.True(match.Success, twiml);
        return string.Concat(match.Groups.Values.Skip(1).Select(g => g.Value));
    }

    private async Task CrashAndRestartAsync()
    {
        await _dispatch!.KillAsync();
        await StartDispatchAsync();
    }

    /// <summary>Each code booked exactly once at the partner, and every ride in the database booked.</summary>
    private async Task AssertEachBookedExactlyOnceAsync(IReadOnlyList<string> codes)
    {
        var bookings = await Eventually.Value(async () => (await PartnerLedger.ReadAsync(_partnerUrl)).Bookings,
            held => codes.All(c => held.Any(b => b.Reference == c)), $"the partner holds a booking for each of {string.Join(", ", codes)}", TimeSpan.FromSeconds(30));
        foreach (var code in codes) Assert.Single(bookings, b => b.Reference == code);
        Assert.Equal(bookings.Count, bookings.Select(b => b.IdempotencyKey).Distinct().Count());

        await Eventually.Value(RideStatusesAsync, statuses => statuses.All(s => s == "booked"), "every ride in the database is booked", TimeSpan.FromSeconds(10));
    }

    private async Task<List<string>> RideStatusesAsync()
    {
        await using var db = _database.Open();
        return (await db.QueryAsync<string>("SELECT status FROM rides;")).AsList();
    }

    [Fact]
    public async Task Killed_before_the_partner_call_every_ride_is_booked_once_after_restart()
    {
        await SetFaultsAsync(new { }, downForSeconds: 600); // the partner is unreachable: rides wait
        var codes = new List<string>();
        for (var i = 0; i < 3; i++) codes.Add(await BookAsync());
        await Task.Delay(500);

        await _dispatch!.KillAsync();
        await SetFaultsAsync(new { });                      // the partner is back
        await StartDispatchAsync();

        await AssertEachBookedExactlyOnceAsync(codes);
    }

    [Fact]
    public async Task Killed_during_the_partner_call_every_ride_is_booked_once_after_restart()
    {
        // Each booking request is in flight for 3 s; its events come an hour later, so the restarted process
        // cannot find the booking from its event before it asks again (that path has tests of its own).
        await SetFaultsAsync(new { latencyMs = 3000, acceptedAfterMs = 3_600_000 });
        var codes = new List<string>();
        for (var i = 0; i < 3; i++) codes.Add(await BookAsync());
        await PartnerLedger.WaitForAttemptsAsync(_partnerUrl, 3); // all three are at the partner, unanswered

        await _dispatch!.KillAsync();                      // mid-request: the partner books anyway, unanswered
        await SetFaultsAsync(new { });
        await StartDispatchAsync();

        await AssertEachBookedExactlyOnceAsync(codes);
        // Each booking was asked for twice under the same key (the killed process's request, which the
        // partner finished on its own, and the restarted process's), and is still one booking.
        var bookings = await Eventually.Value(async () => (await PartnerLedger.ReadAsync(_partnerUrl)).Bookings,
            held => codes.All(c => held.Any(b => b.Reference == c && b.Requests >= 2)), "each booking was asked for twice", TimeSpan.FromSeconds(5));
        Assert.All(codes, code => Assert.True(bookings.Single(b => b.Reference == code).Requests >= 2,
            string.Join("; ", bookings.Select(b => $"{b.Reference} x{b.Requests}"))));
    }

    [Fact]
    public async Task Killed_while_callers_who_pressed_together_wait_on_the_partner_each_is_booked_once_after_restart()
    {
        await SetFaultsAsync(new { latencyMs = 3000 });     // their shared booking job is mid-request
        var codes = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => BookAsync()));
        await PartnerLedger.WaitForAttemptsAsync(_partnerUrl, 6);

        await _dispatch!.KillAsync();
        await SetFaultsAsync(new { });
        await StartDispatchAsync();

        await AssertEachBookedExactlyOnceAsync(codes);
    }

    [Fact]
    public async Task Killed_as_the_partner_answers_every_ride_is_booked_once_after_restart()
    {
        // Killed the moment the partner holds the bookings: the service has the answers or is about to
        // write them, so the kill lands before or after the ride is updated. Five rounds vary the moment.
        var codes = new List<string>();
        for (var round = 0; round < 5; round++)
        {
            var code = await BookAsync();
            codes.Add(code);
            await PartnerLedger.WaitForAsync(_partnerUrl, code);
            await CrashAndRestartAsync();
        }
        await AssertEachBookedExactlyOnceAsync(codes);
    }
}

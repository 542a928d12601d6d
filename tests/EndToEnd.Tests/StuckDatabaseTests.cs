using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Alice.Signatures;
using Dapper;

namespace Alice.EndToEnd.Tests;

/// <summary>
/// The service's database stuck under a running service, on the database of this pass of the suite:
/// on SQLite another process holds the file's write lock, on PostgreSQL the server is stopped. Genuine
/// calls go through the menu meanwhile; every one must hear a code or a person within Twilio's 15 s,
/// and the service must come back by itself once the database does.
/// </summary>
public partial class StuckDatabaseTests : IAsyncLifetime
{
    private const string Token = "stuck-database-twilio-token";
    private static readonly TimeSpan TwilioGivesUp = TimeSpan.FromSeconds(15);
    private readonly string _folder = Directory.CreateTempSubdirectory("alice-stuck-").FullName;
    private readonly IStuckDatabase _database;
    private readonly string _dispatchUrl = $"http://127.0.0.1:{Repo.FreePort()}";
    private readonly string _partnerUrl = $"http://127.0.0.1:{Repo.FreePort()}";
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private HostProcess _partner = null!;
    private HostProcess _dispatch = null!;

    [GeneratedRegex(@"code est : ([1-9]), ([1-9]), ([1-9]), ([1-9])\.")]
    private static partial Regex CodeLine();

    public StuckDatabaseTests() => _database = IStuckDatabase.ForThisRun(_folder);

    public async Task InitializeAsync()
    {
        await _database.StartAsync();
        _partner = await HostProcess.StartAsync("infra/PartnerSimulator", "Alice.PartnerSimulator", _partnerUrl,
            new Dictionary<string, string> { ["Simulator__Secret"] = RunningService.PartnerSecret });
        // The service's own defaults for every bound under test: Twilio:AnswerWithinSeconds, Database:TimeoutSeconds.
        _dispatch = await HostProcess.StartAsync("src/Dispatch", "Alice.Dispatch", _dispatchUrl,
            ProductionDispatch.Environment(_database.EnvironmentVariables, _dispatchUrl, _partnerUrl, Token));
    }

    public async Task DisposeAsync()
    {
        await _dispatch.DisposeAsync();
        await _partner.DisposeAsync();
        _http.Dispose();
        await _database.DisposeAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    /// <summary>One webhook's answer as the caller would get it.</summary>
    private sealed record Answer(string Path, int Status, TimeSpan Took, string Twiml)
    {
        public bool Bridged => Twiml.Contains($"<Number>{CampusNumbers.HumanLine}</Number>") && Twiml.Contains($"callerId=\"{CampusNumbers.Hotline}\"");
    }

    /// <summary>A call's answers, from the greeting to the key press and, with a code, one look at the wait.</summary>
    private sealed record Call(string CallSid, List<Answer> Answers, string? Code)
    {
        public bool Bridged => Answers.Any(a => a.Bridged);
    }

    private async Task<Answer> PostAsync(string pathAndQuery, string callSid, string? digits = null)
    {
        List<KeyValuePair<string, string>> form = [new("CallSid", callSid), new("From", CampusNumbers.CallerFor(callSid)), new("To", CampusNumbers.Hotline), new("CallStatus", "in-progress")];
        if (digits is not null) form.Add(new("Digits", digits));
        var request = new HttpRequestMessage(HttpMethod.Post, _dispatchUrl + pathAndQuery) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioWebhookSigner.Header, TwilioWebhookSigner.Sign(Token, _dispatchUrl + pathAndQuery, form));
        var watch = Stopwatch.StartNew();
        using var response = await _http.SendAsync(request);
        var twiml = await response.Content.ReadAsStringAsync();
        return new Answer(pathAndQuery.Split('?')[0], (int)response.StatusCode, watch.Elapsed, twiml);
    }

    /// <summary>Greeting, the pickup point's key, and the first look at the wait if a code was heard: a bridged caller goes no further.</summary>
    private async Task<Call> CallAsync()
    {
        var callSid = "CA" + Guid.NewGuid().ToString("N");
        var answers = new List<Answer> { await PostAsync("/twilio/voice", callSid) };
        var pickup = await PostAsync("/twilio/pickup?lang=fr&try=1", callSid, "1");
        answers.Add(pickup);
        var code = CodeLine().Match(pickup.Twiml) is { Success: true } m ? string.Concat(m.Groups.Values.Skip(1).Select(g => g.Value)) : null;
        if (code is not null) answers.Add(await PostAsync("/twilio/wait?lang=fr&n=1", callSid));
        return new Call(callSid, answers, code);
    }

    private async Task<HttpStatusCode> ReadinessAsync() => (await _http.GetAsync(_dispatchUrl + "/readyz")).StatusCode;

    private async Task<TimeSpan> ReadinessBecomesAsync(HttpStatusCode wanted, TimeSpan within)
    {
        var watch = Stopwatch.StartNew();
        while (await ReadinessAsync() != wanted)
        {
            Assert.True(watch.Elapsed < within, $"/readyz was not {(int)wanted} within {within}");
            await Task.Delay(200);
        }
        return watch.Elapsed;
    }

    /// <summary>Every answer a TwiML document, 200, within Twilio's limit; every call booked or bridged.</summary>
    private static object[] Row(string step, IReadOnlyList<Call> calls, IReadOnlyList<Answer> extra)
    {
        var answers = calls.SelectMany(c => c.Answers).Concat(extra).ToList();
        foreach (var answer in answers)
        {
            Assert.True(answer.Status == 200, $"{step}: {answer.Path} answered {answer.Status}: {answer.Twiml}");
            Assert.StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>", answer.Twiml);
            Assert.True(answer.Took < TwilioGivesUp, $"{step}: {answer.Path} answered after {answer.Took}");
        }
        Assert.All(calls, c => Assert.True(c.Code is not null || c.Bridged, $"{step}: a caller heard neither a code nor a person: {string.Join(" | ", c.Answers.Select(a => a.Twiml))}"));
        return [step, calls.Count, calls.Count(c => c.Bridged && c.Code is null), calls.Count(c => c.Code is not null),
            answers.Max(a => a.Took), answers.Count(a => a.Status >= 500)];
    }

    [Fact]
    public async Task With_its_database_stuck_every_caller_hears_a_code_or_a_person_in_time_and_the_service_recovers_without_a_restart()
    {
        var rows = new List<IReadOnlyList<object>>();
        var first = await CallAsync();
        Assert.NotNull(first.Code);
        rows.Add(Row("database answers", [first], []));
        await ReadinessBecomesAsync(HttpStatusCode.OK, TimeSpan.FromSeconds(10));

        await _database.BreakAsync();
        var notReadyAfter = await ReadinessBecomesAsync(HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(10));
        // Three new callers at once, and the first caller still on the line, looking at the wait again.
        var during = Task.WhenAll(Enumerable.Range(0, 3).Select(_ => CallAsync()));
        var stillWaiting = await PostAsync("/twilio/wait?lang=fr&n=2", first.CallSid);
        var stuckCalls = await during;
        rows.Add(Row($"{_database.Fault}", stuckCalls, [stillWaiting]));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await ReadinessAsync());

        await _database.RepairAsync();
        var readyAfter = await ReadinessBecomesAsync(HttpStatusCode.OK, TimeSpan.FromSeconds(20));
        var after = await CallAsync();
        rows.Add(Row("database back, no restart", [after], []));
        Assert.NotNull(after.Code);
        await PartnerLedger.WaitForAsync(_partnerUrl, after.Code);

        // No ride holds a code that nobody heard: a caller bridged during the fault has none.
        await using (var db = _database.Open())
        {
            var codes = (await db.QueryAsync<string>("SELECT booking_code FROM rides;")).Order().ToList();
            Assert.Equal(new[] { first, after }.Concat(stuckCalls).Where(c => c.Code is not null).Select(c => c.Code!).Order(), codes);
        }
        // What the service logged about the failures names no caller: neither the number nor a CallSid.
        var calls = new[] { first, after }.Concat(stuckCalls).ToList();
        Assert.All(calls, c => Assert.DoesNotContain(CampusNumbers.CallerFor(c.CallSid), _dispatch.Output));
        Assert.All(calls, c => Assert.DoesNotContain(c.CallSid, _dispatch.Output));
        Assert.Contains("answered without its step", _dispatch.Output);
        Figures.Write("Calls while the database is stuck", ["step", "calls", "bridged", "booked", "slowest answer", "5xx"], rows);
        Figures.Write("Readiness while the database is stuck", ["fault", "/readyz 503 after", "/readyz 200 again after"],
            [[_database.Fault, notReadyAfter, readyAfter]]);
    }
}

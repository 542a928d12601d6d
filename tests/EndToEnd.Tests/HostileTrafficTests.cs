using System.Collections.Concurrent;
using System.Text;
using Alice.Signatures;
using Xunit.Abstractions;

namespace Alice.EndToEnd.Tests;

/// <summary>
/// Promise 6 against real processes (Kestrel, not a test server): thousands of hostile requests at every
/// public endpoint of the dispatch service and the admin panel, and slow senders beside them. Runs in both
/// database passes: the signed webhooks that get past the signature write through the storage provider
/// (a call's end, Twilio's record queued for deletion), and the panel reads through its own login.
/// ALICE_HOSTILE_REQUESTS sets the count (infra/hostile runs a long one); ALICE_HOSTILE_SEED replays a run.
/// </summary>
[Collection(HostileCollection.Name)]
public class HostileTrafficTests(HostileService service, ITestOutputHelper output)
{
    /// <summary>About 20 s of traffic on two cores: the suite's time per database pass grows by well under a minute.</summary>
    private const int DefaultRequests = 3000;
    private const int Senders = 8;
    /// <summary>
    /// Growth allowed in each process's resident memory from after the warm-up to the end. A leak of even a
    /// few hundred bytes a request shows over a long run; the GC's own heap growth under load stays well within it.
    /// </summary>
    private const long MemoryBound = 64L * 1024 * 1024;

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var value) && value > 0 ? value : fallback;

    private sealed class Tally
    {
        public int Requests, Ok, Redirected, Refused, Failed, CutOff;
        public TimeSpan Slowest;
        public readonly ConcurrentQueue<string> Problems = new();

        public void Count(RawHttp.Answer answer, string shape, bool mayClose)
        {
            lock (this)
            {
                Requests++;
                if (answer.Took > Slowest) Slowest = answer.Took;
                switch (answer.Status)
                {
                    case null: CutOff++; break;
                    case < 300: Ok++; break;
                    case < 400: Redirected++; break;
                    case < 500: Refused++; break;
                    default: Failed++; break;
                }
            }
            if (answer.Status >= 500) Problems.Enqueue($"{answer.Status} for {shape}");
            if (answer.Status is null && !mayClose) Problems.Enqueue($"closed unanswered: {shape}");
        }
    }

    [Fact]
    public async Task Thousands_of_hostile_requests_and_slow_senders_get_no_5xx_crash_nothing_leak_nothing_and_change_nothing_stored()
    {
        var count = Setting("ALICE_HOSTILE_REQUESTS", DefaultRequests);
        var seed = Setting("ALICE_HOSTILE_SEED", Random.Shared.Next(1, int.MaxValue));
        output.WriteLine($"seed {seed} ({count} requests): ALICE_HOSTILE_SEED={seed} makes the same requests again");
        Console.WriteLine($"Hostile traffic: seed {seed}, {count} requests");
        var requests = new HostileRequests(service, await FormTokens.FetchAsync(service.DispatchUrl), await FormTokens.FetchAsync(service.AdminUrl));
        var tallies = HostileRequests.Groups.Append(SlowSenders.Group).ToDictionary(g => g, _ => new Tally());
        var stored = await service.StoredAsync();

        var warmUp = Math.Max(200, count / 10);
        await FloodAsync(requests, seed, 0, warmUp, tallies);
        var before = (Dispatch: service.Dispatch.ResidentBytes(), Admin: service.Admin.ResidentBytes());
        var slow = SlowSenders.RunAsync(service, Math.Max(12, count / 250), tallies[SlowSenders.Group]);
        await FloodAsync(requests, seed, warmUp, count, tallies);
        await slow;
        var after = (Dispatch: service.Dispatch.ResidentBytes(), Admin: service.Admin.ResidentBytes());

        // The seed in the title, so the table printed after a run says how to make its requests again.
        Figures.Write($"Hostile traffic, {count} requests, seed {seed}", ["endpoint group", "requests", "2xx", "3xx", "4xx", "5xx", "cut off", "slowest"],
            tallies.Select(t => (IReadOnlyList<object>)[t.Key, t.Value.Requests, t.Value.Ok, t.Value.Redirected, t.Value.Refused, t.Value.Failed, t.Value.CutOff, t.Value.Slowest]));
        Figures.Write("Hostile traffic memory", ["process", "resident before (MiB)", "after (MiB)", "growth (MiB)", "bound (MiB)"],
        [
            ["dispatch", Mib(before.Dispatch), Mib(after.Dispatch), Mib(after.Dispatch - before.Dispatch), Mib(MemoryBound)],
            ["admin", Mib(before.Admin), Mib(after.Admin), Mib(after.Admin - before.Admin), Mib(MemoryBound)],
        ]);

        var problems = tallies.Values.SelectMany(t => t.Problems).ToList();
        Assert.True(problems.Count == 0, $"seed {seed}: {problems.Count} wrong answers, the first:\n{string.Join('\n', problems.Take(20))}\n" +
            $"what the hosts said of them:\n{Errors(service.Dispatch)}\n{Errors(service.Admin)}");
        Assert.True(service.Dispatch.IsAlive, "the dispatch service died:\n" + service.Dispatch.Output);
        Assert.True(service.Admin.IsAlive, "the admin panel died:\n" + service.Admin.Output);
        Assert.True(after.Dispatch - before.Dispatch < MemoryBound, $"the dispatch service grew {Mib(after.Dispatch - before.Dispatch):0.0} MiB");
        Assert.True(after.Admin - before.Admin < MemoryBound, $"the admin panel grew {Mib(after.Admin - before.Admin):0.0} MiB");
        AssertNothingStoredChanged(stored, await service.StoredAsync());
        // Still answering as it should: a genuine call is served after all of it.
        Assert.Contains("<Gather", await (await service.PostSignedAsync("/twilio/voice", HostileService.CallForm("CA" + Guid.NewGuid().ToString("N")))).Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Every row stored before is there, unchanged, afterwards. New rows are allowed only where a validly
    /// signed status callback leaves them (the call's end, so a replay books nothing): a valid signature
    /// is Twilio's word. The key ring was made at the first start, before the snapshot, so it is held to
    /// the same rule.
    /// </summary>
    private static void AssertNothingStoredChanged(Dictionary<string, string[]> before, Dictionary<string, string[]> after)
    {
        string[] mayGrow = ["ended_calls"];
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (table, rows) in before)
        {
            var lost = rows.Except(after[table]).ToList();
            Assert.True(lost.Count == 0, $"{table} lost or changed {lost.Count} rows");
            if (!mayGrow.Contains(table)) Assert.True(rows.Length == after[table].Length, $"{table} has {after[table].Length - rows.Length} new rows");
        }
    }

    private static async Task FloodAsync(HostileRequests requests, int seed, int from, int to, Dictionary<string, Tally> tallies)
    {
        var next = from - 1;
        await Task.WhenAll(Enumerable.Range(0, Senders).Select(_ => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < to)
            {
                var request = requests.Make(seed, index);
                var answer = await RawHttp.SendAsync(request.Server, request.Bytes, TimeSpan.FromSeconds(30));
                tallies[request.Group].Count(answer, $"#{index} {request.Shape}", request.MayCloseUnanswered);
            }
        })));
    }

    /// <summary>The exceptions a host logged, each once: where a 5xx came from.</summary>
    private static string Errors(HostProcess host) =>
        string.Join('\n', host.Output.Split('\n').Where(l => l.Contains("Exception") || l.TrimStart().StartsWith("at Alice.")).Distinct().Take(30));

    private static double Mib(long bytes) => bytes / (1024.0 * 1024.0);

    /// <summary>Raw sockets that send their headers or body a byte at a time, or stop half-way: each must be cut off in seconds.</summary>
    private static class SlowSenders
    {
        public const string Group = "Slow senders";
        /// <summary>Server:RequestHeadersTimeoutSeconds and DataRateGraceSeconds are 5 and 3, and Kestrel checks every second: well within this.</summary>
        private static readonly TimeSpan CutOffWithin = TimeSpan.FromSeconds(15);

        public static async Task RunAsync(HostileService service, int count, Tally tally)
        {
            var dispatch = new Uri(service.DispatchUrl);
            var admin = new Uri(service.AdminUrl);
            (Uri, string, string)[] bodies =
            [
                (dispatch, "/twilio/voice", "application/x-www-form-urlencoded"), (dispatch, "/partners/simulator/events", "application/json"),
                (dispatch, "/account/login", "application/x-www-form-urlencoded"), (admin, "/account/login", "application/x-www-form-urlencoded"),
            ];
            using var gate = new SemaphoreSlim(20);
            await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    var (server, path, type) = bodies[i % bodies.Length];
                    var kind = (i / bodies.Length) % 3;
                    var head = RawHttp.Head("POST", path, server.Authority, [("Content-Type", type), (TwilioWebhookSigner.Header, "c2lnbmF0dXJl"), ("X-Forwarded-Proto", "https")], 2000);
                    var answer = kind switch
                    {
                        // The headers themselves, a byte at a time.
                        0 => await RawHttp.TrickleAsync(server, [], head, TimeSpan.FromMilliseconds(200), CutOffWithin),
                        // The body, a byte at a time.
                        1 => await RawHttp.TrickleAsync(server, head, Encoding.ASCII.GetBytes(new string('a', 2000)), TimeSpan.FromMilliseconds(200), CutOffWithin),
                        // A tenth of the body, then nothing.
                        _ => await RawHttp.TrickleAsync(server, [.. head, .. Encoding.ASCII.GetBytes(new string('a', 200))], [], TimeSpan.Zero, CutOffWithin),
                    };
                    // Whatever ends it (a close, a 408, or the form refused once its read was cut), the server
                    // ended it long before the sender was done: that is the cut-off, unless it was a 5xx.
                    var shape = $"slow sender {kind} to {server.Port}{path}";
                    lock (tally)
                    {
                        tally.Requests++;
                        if (answer.Status >= 500) tally.Failed++;
                        else tally.CutOff++;
                        if (answer.Took > tally.Slowest) tally.Slowest = answer.Took;
                    }
                    if (answer.Status >= 500) tally.Problems.Enqueue($"{answer.Status} for {shape}");
                    if (answer.Took >= CutOffWithin) tally.Problems.Enqueue($"not cut off within {CutOffWithin.TotalSeconds} s: {shape}");
                }
                finally
                {
                    gate.Release();
                }
            }));
        }
    }
}

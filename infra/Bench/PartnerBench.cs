using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Alice.Signatures;

namespace Alice.Bench;

/// <summary>
/// From a caller's final key press to the partner holding the booking, and an outage drill: the partner
/// is down for a minute while calls keep coming, then comes back; every ride must arrive exactly once.
/// </summary>
internal static partial class PartnerBench
{
    [GeneratedRegex(@"code est : ([1-9]), ([1-9]), ([1-9]), ([1-9])\.")]
    private static partial Regex CodeLine();

    /// <summary>Adds <c>partner.p50</c>, <c>partner.p99</c>, <c>drill.once</c>, <c>drill.calls</c> and <c>drill.drain</c> to the results file.</summary>
    public static async Task RunAsync(string results, string dispatchUrl, string partnerUrl, string authToken, int calls, int concurrency, int outageSeconds, int outageCalls)
    {
        using var http = new HttpClient { BaseAddress = new Uri(dispatchUrl) };
        var partner = new PartnerProbe(partnerUrl);

        // 1. Key press to partner, the partner healthy, after a warm-up (JIT, first connections).
        const int warmUp = 20;
        for (var i = 0; i < warmUp; i++) await PressAsync(http, dispatchUrl, authToken);
        await partner.WaitForBookingsAsync(warmUp);
        calls += warmUp; // the partner's counts include the warm-up from here on
        var pressedAt = new Dictionary<string, DateTimeOffset>();
        var next = warmUp - 1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < calls)
            {
                var (code, at) = await PressAsync(http, dispatchUrl, authToken);
                lock (pressedAt) pressedAt[code] = at;
            }
        }));
        await partner.WaitForBookingsAsync(calls);
        var received = await ReceivedAsync(partnerUrl);
        var latencies = pressedAt.Select(p => (received[p.Key] - p.Value).TotalMilliseconds).Order().ToArray();
        Results.Add(results, "partner.p50", P(latencies, 0.5));
        Results.Add(results, "partner.p99", P(latencies, 0.99));
        Console.Error.WriteLine($"  key press → partner, {calls - warmUp} calls from {concurrency} callers: {P(latencies, 0.5):F1} / {P(latencies, 0.99):F1} ms");

        // 2. Outage drill.
        (await new HttpClient().PostAsJsonAsync($"{partnerUrl}/faults?downForSeconds={outageSeconds}", new { })).EnsureSuccessStatusCode();
        var upAt = DateTimeOffset.UtcNow.AddSeconds(outageSeconds);
        var drillCodes = new List<string>();
        var spacing = TimeSpan.FromSeconds((double)outageSeconds / outageCalls);
        for (var i = 0; i < outageCalls; i++)
        {
            drillCodes.Add((await PressAsync(http, dispatchUrl, authToken)).Code);
            await Task.Delay(spacing);
        }
        var untilUp = upAt - DateTimeOffset.UtcNow;
        if (untilUp > TimeSpan.Zero) await Task.Delay(untilUp);
        var clock = Stopwatch.StartNew();
        await partner.WaitForBookingsAsync(calls + outageCalls);
        var drain = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(3)); // anything booked twice would show by now
        using var ledger = JsonDocument.Parse(await new HttpClient().GetStringAsync($"{partnerUrl}/bookings"));
        var references = ledger.RootElement.GetProperty("bookings").EnumerateArray().Select(b => b.GetProperty("reference").GetString()!).ToList();
        var deliveredOnce = drillCodes.Count(c => references.Count(r => r == c) == 1);

        Results.Add(results, "drill.once", deliveredOnce);
        Results.Add(results, "drill.calls", outageCalls);
        Results.Add(results, "drill.drain", drain.TotalSeconds);
        Console.Error.WriteLine($"  outage drill, {outageSeconds} s down, {outageCalls} calls: {deliveredOnce} delivered exactly once, drained {drain.TotalSeconds:F1} s after the partner came back");
    }

    private static async Task<(string Code, DateTimeOffset At)> PressAsync(HttpClient http, string baseUrl, string token)
    {
        const string path = "/twilio/pickup?lang=fr&try=1";
        List<KeyValuePair<string, string>> form =
        [
            new("CallSid", "CA" + Guid.NewGuid().ToString("N")), new("From", "+32470999999"), new("To", HotlineBench.Hotline), new("Digits", "1"),
        ];
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioWebhookSigner.Header, TwilioWebhookSigner.Sign(token, baseUrl.TrimEnd('/') + path, form));
        var at = DateTimeOffset.UtcNow;
        var twiml = await (await http.SendAsync(request)).Content.ReadAsStringAsync();
        var match = CodeLine().Match(twiml);
        if (!match.Success) throw new InvalidOperationException("No booking code in: " + twiml);
        return (string.Concat(match.Groups.Values.Skip(1).Select(g => g.Value)), at);
    }

    private static async Task<Dictionary<string, DateTimeOffset>> ReceivedAsync(string partnerUrl)
    {
        using var json = JsonDocument.Parse(await new HttpClient().GetStringAsync($"{partnerUrl}/bookings"));
        return json.RootElement.GetProperty("bookings").EnumerateArray()
            .ToDictionary(b => b.GetProperty("reference").GetString()!, b => b.GetProperty("receivedAt").GetDateTimeOffset());
    }

    private static double P(double[] sorted, double p) => sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(p * sorted.Length) - 1)];
}

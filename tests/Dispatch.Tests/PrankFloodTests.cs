using System.Collections.Concurrent;
using System.Diagnostics;
using Alice.Dispatch.Tests.Support;

namespace Alice.Dispatch.Tests;

/// <summary>
/// A free taxi on a public number draws pranks and autodialers. The review's flood, replayed with the
/// limits at their defaults: 5,000 key presses at the pickup menu from 50 numbers, as fast as the service
/// answers, while genuine callers (numbers of their own) keep calling. Each of them must hear a code or be
/// put through to a person within 20 seconds, nobody gets an error, and the flood books a bounded number of
/// real taxis.
/// </summary>
public class PrankFloodTests
{
    private const int Pranks = 5000;
    private const int PrankNumbers = 50;
    private const int InFlight = 32;
    private static readonly TimeSpan GenuineWithin = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_flood_of_5000_bookings_from_50_numbers_leaves_every_genuine_caller_a_code_or_a_person_within_20_seconds()
    {
        await using var fleet = await Fleet.StartAsync(partners: 1);
        var app = fleet.App;
        var pranks = new Tally();
        var genuine = new Tally();
        using var gate = new SemaphoreSlim(InFlight);

        var flood = Task.WhenAll(Enumerable.Range(0, Pranks).Select(async i =>
        {
            await gate.WaitAsync();
            try { await pranks.TimeAsync(() => PickupAsync(app, $"+3247090{i % PrankNumbers:D4}")); }
            finally { gate.Release(); }
        }));
        // A genuine caller every 200 ms while the flood lasts: the greeting, then the key press.
        while (!flood.IsCompleted)
        {
            await genuine.TimeAsync(async () =>
            {
                var from = CampusNumbers.NewCaller();
                var callSid = "CA" + Guid.NewGuid().ToString("N");
                var greeting = await app.PostWebhook("/twilio/voice", DispatchApp.TwilioForm(callSid, from));
                if (!greeting.IsSuccessStatusCode) return ((int)greeting.StatusCode, "");
                return await PickupAsync(app, from, callSid);
            });
            await Task.WhenAny(flood, Task.Delay(200));
        }
        await flood;

        var rides = (await app.RidesInDatabase()).Count;
        var taxis = fleet.Partners[0].Bookings.Count;
        Figures.Write("Prank flood: 5,000 bookings from 50 numbers", ["callers", "calls", "code", "person (number)", "person (campus)", "other", "5xx", "slowest"],
        [
            pranks.Row("pranks"),
            genuine.Row("genuine"),
            ["rides written / taxis booked", rides, taxis, "", "", "", "", ""],
        ]);

        Assert.Equal(Pranks, pranks.Calls);
        Assert.Equal(0, pranks.ServerErrors + genuine.ServerErrors);
        Assert.Equal(0, pranks.Other + genuine.Other); // every answer is a code or a person, with the words that say which
        Assert.True(genuine.Calls >= 3, $"only {genuine.Calls} genuine callers called during the flood");
        Assert.True(genuine.Slowest < GenuineWithin, $"a genuine caller waited {genuine.Slowest}");
        // The flood books no more taxis than the campus threshold lets through (Abuse:CampusBookingsPerWindow, 30).
        Assert.InRange(rides, 1, 30);
        // With the defaults the campus threshold stops the flood before any of its numbers books three rides.
        Assert.Equal(Pranks - pranks.Booked, pranks.PersonByCampus + pranks.PersonByNumber);
    }

    private static async Task<(int Status, string Twiml)> PickupAsync(DispatchApp app, string from, string? callSid = null)
    {
        var response = await app.PostWebhook("/twilio/pickup?lang=fr&try=1", DispatchApp.TwilioForm(callSid ?? "CA" + Guid.NewGuid().ToString("N"), from, digits: "1"));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>What a kind of caller got: by the words they heard, and how long the slowest waited.</summary>
    private sealed class Tally
    {
        private readonly ConcurrentDictionary<string, int> _heard = new();
        private long _slowestTicks;

        public int Calls => _heard.Values.Sum();
        public int ServerErrors => _heard.GetValueOrDefault("5xx");
        public int Other => _heard.GetValueOrDefault("other");
        public int Booked => _heard.GetValueOrDefault("code");
        public int PersonByNumber => _heard.GetValueOrDefault("number");
        public int PersonByCampus => _heard.GetValueOrDefault("campus");
        public TimeSpan Slowest => TimeSpan.FromTicks(Interlocked.Read(ref _slowestTicks));

        public async Task TimeAsync(Func<Task<(int Status, string Twiml)>> call)
        {
            var watch = Stopwatch.StartNew();
            var (status, twiml) = await call();
            var took = watch.Elapsed.Ticks;
            long seen;
            while (took > (seen = Interlocked.Read(ref _slowestTicks)) && Interlocked.CompareExchange(ref _slowestTicks, took, seen) != seen) { }
            _heard.AddOrUpdate(Heard(status, twiml), 1, (_, n) => n + 1);
        }

        public IReadOnlyList<object> Row(string who) =>
            [who, Calls, Booked, PersonByNumber, PersonByCampus, Other, ServerErrors, Slowest];

        private static string Heard(int status, string twiml) =>
            status >= 500 ? "5xx"
            : twiml.Contains("Votre code est") ? "code"
            : twiml.Contains("a déjà demandé plusieurs taxis") && twiml.Contains("<Dial") ? "number"
            : twiml.Contains("une personne qui va organiser votre taxi") && twiml.Contains("<Dial") ? "campus"
            : "other";
    }
}

using Alice.Signatures;

namespace Alice.Bench;

/// <summary>
/// The hotline's latency floor and steps at N concurrent callers: a bare endpoint of the same service,
/// a menu step (signature check + TwiML), and the booking step (the ride written in the request's own
/// transaction, its first try to the partner right after the commit).
/// </summary>
internal static class HotlineBench
{
    /// <summary>The number the calls dial: the service's own setting, which infra/bench exports to both.</summary>
    public static readonly string Hotline = Environment.GetEnvironmentVariable("Hotline__Campuses__0__HotlineNumber")
        ?? throw new InvalidOperationException("Hotline__Campuses__0__HotlineNumber is not set: run the benchmark through infra/bench.");
    private const int MinWarmUpRounds = 3;
    /// <summary>
    /// Bounds the warm-up at 2,000 rides. Ended rides stay stored for a day (retention), and a new ride takes a
    /// code no stored ride has while one is left: with the measured rides, at most 3,500 of the 4,608 codes are
    /// on stored rides, so a booking's random draws still find a free one at once, as they do at the real load.
    /// </summary>
    private const int MaxWarmUpRounds = 4;
    /// <summary>A round at least this much faster than the one before means the service is still warming up.</summary>
    private const double SteadyWithin = 1.05;
    private const int WarmUp = 3000;
    private const int WarmUpBookings = 500;
    /// <summary>
    /// In a flood the bare endpoint and the menu step each run this long, not a count: at 15,000 a second a
    /// count of 30,000 was over in two seconds, and whether one of the service's periodic tasks (the job
    /// store's poll, a sweep, a collection) fell in those two seconds decided their p99, which the goal
    /// divides by (the ratio moved from 1.35× to 4.7× between runs of the same code). Ten seconds each meet
    /// the same periodic work alike. The booking step keeps its count: each measured ride holds its code.
    /// </summary>
    private static readonly TimeSpan FloodStep = TimeSpan.FromSeconds(10);
    /// <summary>The distinct signed calls the menu step of a flood goes through, again from the first once all are sent (the greeting keeps no state).</summary>
    private const int FloodCalls = 30000;
    /// <summary>
    /// A bad night is a few callers at once, each of whom must hear a code without waiting on the others: at
    /// this many callers the measured steps come in bursts (all at once, all answered, a short pause, again).
    /// A flood (more callers) is a closed loop, every caller sending again as soon as answered.
    /// </summary>
    private const int BadNight = 4;
    /// <summary>Between bursts: a burst's first tries reach the partner meanwhile (callers on a bad night are minutes apart).</summary>
    private static readonly TimeSpan BetweenBursts = TimeSpan.FromMilliseconds(25);
    /// <summary>The bare endpoint's and the menu's requests in bursts: 1,000 bursts, enough for a p99 that no single pause decides.</summary>
    private const int BurstQuickRequests = 4000;
    /// <summary>Lifecycle events per booking the simulator reports: accepted, driver arrived, on board, dropped off.</summary>
    private const int EventsPerBooking = 4;

    /// <summary>Measures the three steps and adds their figures (keys <c>bare.N.p50</c> … <c>booking.N.rps</c>, <c>errors.N</c>, <c>rss.N.peak</c>, <c>rss.N.hwm</c>, <c>warmup.N</c>) to the results file.</summary>
    public static async Task RunAsync(string results, string dispatchUrl, string partnerUrl, string authToken, int dispatchPid, int concurrency, int requests)
    {
        var partner = new PartnerProbe(partnerUrl);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = new Uri(dispatchUrl) };
        var run = Guid.NewGuid().ToString("N")[..8];

        // Every webhook is built and signed before the clock starts, so the load generator does the same
        // small amount of work per request in every scenario: only the service's work differs.
        var bursts = concurrency <= BadNight;
        Task<LoadResult> Quick(string step, Func<int, Task<bool>> send) => bursts
            ? Load.BurstsAsync(step, concurrency, BurstQuickRequests, BetweenBursts, send)
            : Load.RunForAsync(step, concurrency, FloodStep, send);
        Task<LoadResult> Bookings(string step, Func<int, Task<bool>> send) => bursts
            ? Load.BurstsAsync(step, concurrency, requests, BetweenBursts, send)
            : Load.RunAsync(step, concurrency, requests, send);
        var menu = Signed(dispatchUrl, authToken, "/twilio/voice", $"CAmenu{run}", null, bursts ? BurstQuickRequests : FloodCalls);
        var booking = Signed(dispatchUrl, authToken, "/twilio/pickup?lang=fr&try=1", $"CAbook{run}", "1", requests);
        Task<bool> Bare(int _) => Ok(http.GetAsync("/healthz"));
        Task<bool> Menu(int i) => Ok(Send(http, menu[i % menu.Length]));
        Task<bool> Booking(int i) => Booked(Send(http, booking[i]));

        // Steady state, as a service that has run for a while: .NET compiles hot code again, optimised, in
        // the background and in several steps, which takes many seconds of traffic; measured before that,
        // the compiler's work is much of what is measured. So every step is warmed up in rounds until the
        // booking step's throughput stops rising. Warm-up rides run their whole course at once (the
        // simulator reports them dropped off): no active ride holds their codes, though they stay stored.
        await partner.SetEventDelayAsync(TimeSpan.Zero);
        var rounds = new List<double>();
        while (rounds.Count < MinWarmUpRounds || (rounds.Count < MaxWarmUpRounds && rounds[^1] > rounds[^2] * SteadyWithin))
        {
            var round = rounds.Count;
            var warmMenu = Signed(dispatchUrl, authToken, "/twilio/voice", $"CAwmenu{round}{run}", null, WarmUp);
            var warmBooking = Signed(dispatchUrl, authToken, "/twilio/pickup?lang=fr&try=1", $"CAwbook{round}{run}", "2", WarmUpBookings);
            await Load.RunAsync("warm-up", concurrency, WarmUp, Bare);
            await Load.RunAsync("warm-up", concurrency, WarmUp, i => Ok(Send(http, warmMenu[i])));
            rounds.Add((await Load.RunAsync("warm-up", concurrency, WarmUpBookings, i => Booked(Send(http, warmBooking[i])))).RequestsPerSecond);
            await partner.WaitForEventsAsync(rounds.Count * WarmUpBookings * EventsPerBooking);
        }
        // The measured rides keep their codes (and bring no event traffic) for the rest of the run.
        await partner.SetEventDelayAsync(TimeSpan.FromHours(1));
        await Task.Delay(TimeSpan.FromSeconds(2)); // the last background compilations

        var bare = await Quick("bare", Bare);
        var menuStep = await Quick("menu", Menu);
        // Resident memory under the heaviest load: while the booking step runs (the table reports it at 16 callers).
        var (bookingStep, peakRssMb, hwmMb) = await Memory.DuringAsync(dispatchPid, () => Bookings("booking", Booking));
        var drained = await partner.WaitForBookingsAsync(rounds.Count * WarmUpBookings + requests);

        foreach (var r in new[] { bare, menuStep, bookingStep })
        {
            Results.Add(results, $"{r.Scenario}.{concurrency}.p50", r.P50Ms);
            Results.Add(results, $"{r.Scenario}.{concurrency}.p99", r.P99Ms);
            Results.Add(results, $"{r.Scenario}.{concurrency}.rps", r.RequestsPerSecond);
        }
        Results.Add(results, $"errors.{concurrency}", bare.Errors + menuStep.Errors + bookingStep.Errors);
        Results.Add(results, $"rss.{concurrency}.peak", peakRssMb);
        Results.Add(results, $"rss.{concurrency}.hwm", hwmMb);
        var warmUp = string.Join(", ", rounds.Select(r => r.ToString("F0")));
        Results.Add(results, $"warmup.{concurrency}", warmUp);
        Console.Error.WriteLine($"  {concurrency} callers: {rounds.Count} warm-up rounds (booking step {warmUp} requests/s); booking step {bookingStep.P50Ms:F2} / " +
                                $"{bookingStep.P99Ms:F2} ms, {bookingStep.RequestsPerSecond:F0}/s; every booking reached the partner {drained.TotalSeconds:F1} s after the last");
    }

    private sealed record SignedWebhook(string Path, byte[] Body, string Signature);

    /// <summary>Webhooks as Twilio would post them, one call each (a CallSid per request).</summary>
    private static SignedWebhook[] Signed(string baseUrl, string token, string path, string callSidPrefix, string? digits, int count) =>
        Enumerable.Range(0, count).Select(i =>
        {
            List<KeyValuePair<string, string>> form =
            [
                // A number of its own for each call of a step: the caller limit (at most 10,000 an hour) counts
                // each number, and the warm-up rounds with the measured step book more than that.
                new("AccountSid", "AC00000000000000000000000000000000"), new("CallSid", $"{callSidPrefix}{i:D8}"),
                new("From", $"+32470{i:D6}"), new("To", Hotline), new("CallStatus", "in-progress"), new("Direction", "inbound"),
            ];
            if (digits is not null) form.Add(new("Digits", digits));
            var body = new FormUrlEncodedContent(form).ReadAsByteArrayAsync().GetAwaiter().GetResult();
            return new SignedWebhook(path, body, TwilioWebhookSigner.Sign(token, baseUrl.TrimEnd('/') + path, form));
        }).ToArray();

    private static Task<HttpResponseMessage> Send(HttpClient http, SignedWebhook webhook)
    {
        var content = new ByteArrayContent(webhook.Body);
        content.Headers.ContentType = new("application/x-www-form-urlencoded");
        var request = new HttpRequestMessage(HttpMethod.Post, webhook.Path) { Content = content };
        request.Headers.Add(TwilioWebhookSigner.Header, webhook.Signature);
        return http.SendAsync(request);
    }

    private static async Task<bool> Ok(Task<HttpResponseMessage> send)
    {
        using var response = await send;
        return response.IsSuccessStatusCode;
    }

    /// <summary>A booking step that booked: the caller hears a code (in French, the language these calls chose), not a person's line.</summary>
    private static async Task<bool> Booked(Task<HttpResponseMessage> send)
    {
        using var response = await send;
        return response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync()).Contains("code est", StringComparison.Ordinal);
    }
}

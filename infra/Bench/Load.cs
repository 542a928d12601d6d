using System.Diagnostics;

namespace Alice.Bench;

/// <summary>Latency figures of one scenario.</summary>
internal sealed record LoadResult(string Scenario, int Requests, int Errors, double P50Ms, double P99Ms, double RequestsPerSecond);

/// <summary>Runs a request a fixed number of times from N callers and measures each: in a closed loop (a flood) or in bursts (a bad night).</summary>
internal static class Load
{
    /// <summary>A closed loop for a while rather than a count: every caller sends again as soon as answered until the time is up.</summary>
    public static async Task<LoadResult> RunForAsync(string scenario, int concurrency, TimeSpan duration, Func<int, Task<bool>> send)
    {
        var latencies = new List<double>[concurrency];
        var errors = 0;
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async caller =>
        {
            var mine = latencies[caller] = new List<double>(1 << 16);
            while (clock.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                var ok = await send(Interlocked.Increment(ref next));
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (!ok) Interlocked.Increment(ref errors);
            }
        }));
        var elapsed = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        return new LoadResult(scenario, all.Length, errors, Percentile(all, 0.50), Percentile(all, 0.99), all.Length / elapsed);
    }

    public static async Task<LoadResult> RunAsync(string scenario, int concurrency, int requests, Func<int, Task<bool>> send)
    {
        var latencies = new double[requests];
        var errors = 0;
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                var started = Stopwatch.GetTimestamp();
                var ok = await send(i);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!ok) Interlocked.Increment(ref errors);
            }
        }));
        var elapsed = clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        return new LoadResult(scenario, requests, errors, Percentile(latencies, 0.50), Percentile(latencies, 0.99), requests / elapsed);
    }

    /// <summary>
    /// A bad night: <paramref name="callers"/> requests at once, all answered, a pause, again, until
    /// <paramref name="requests"/> have been sent. Each burst's callers wait on one another, not on a queue
    /// of earlier callers as in a closed loop, where a request's latency is the number of callers over the
    /// throughput (Little's law) whatever a single request costs.
    /// </summary>
    public static async Task<LoadResult> BurstsAsync(string scenario, int callers, int requests, TimeSpan pause, Func<int, Task<bool>> send)
    {
        var latencies = new double[requests];
        var errors = 0;
        var clock = Stopwatch.StartNew();
        for (var first = 0; first < requests; first += callers)
        {
            await Task.WhenAll(Enumerable.Range(first, Math.Min(callers, requests - first)).Select(async i =>
            {
                var started = Stopwatch.GetTimestamp();
                var ok = await send(i);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!ok) Interlocked.Increment(ref errors);
            }));
            await Task.Delay(pause);
        }
        var elapsed = clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        return new LoadResult(scenario, requests, errors, Percentile(latencies, 0.50), Percentile(latencies, 0.99), requests / elapsed);
    }

    private static double Percentile(double[] sorted, double p) => sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(p * sorted.Length) - 1)];
}

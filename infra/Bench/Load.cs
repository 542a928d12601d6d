using System.Diagnostics;

namespace Alice.Bench;

/// <summary>Latency figures of one scenario.</summary>
internal sealed record LoadResult(string Scenario, int Requests, int Errors, double P50Ms, double P99Ms, double RequestsPerSecond);

/// <summary>Runs a request a fixed number of times from N concurrent callers and measures each.</summary>
internal static class Load
{
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

    private static double Percentile(double[] sorted, double p) => sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(p * sorted.Length) - 1)];
}

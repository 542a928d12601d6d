namespace Alice.Bench;

/// <summary>
/// The dispatch process's resident memory while a step runs, from /proc/&lt;pid&gt;/status: VmRSS sampled
/// every 20 ms (the peak seen), and VmHWM, the kernel's own peak since the process started (it misses
/// nothing between samples, but counts the warm-up too, which runs the same load).
/// </summary>
internal static class Memory
{
    public static async Task<(T Result, double PeakRssMb, double HwmMb)> DuringAsync<T>(int pid, Func<Task<T>> step)
    {
        if (!File.ReadAllText($"/proc/{pid}/cmdline").Contains("Alice.Dispatch", StringComparison.Ordinal))
            throw new InvalidOperationException($"Process {pid} is not the dispatch service.");
        var done = false;
        var sampler = Task.Run(async () =>
        {
            var peak = 0L;
            while (!Volatile.Read(ref done)) // bounded by the step
            {
                peak = Math.Max(peak, Kilobytes(pid, "VmRSS"));
                await Task.Delay(20);
            }
            return peak;
        });
        T result;
        try { result = await step(); }
        finally { Volatile.Write(ref done, true); }
        var peakKb = Math.Max(await sampler, Kilobytes(pid, "VmRSS"));
        return (result, peakKb / 1024.0, Kilobytes(pid, "VmHWM") / 1024.0);
    }

    /// <summary>A line such as <c>VmRSS:	  123456 kB</c>.</summary>
    private static long Kilobytes(int pid, string field) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal))
            .Split(' ', '\t').Where(s => s.Length > 0).ElementAt(1));
}

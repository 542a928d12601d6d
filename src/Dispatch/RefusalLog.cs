namespace Alice.Dispatch;

/// <summary>
/// Logs refused signatures without letting a flood of forged requests flood the logs: the first refusal on
/// a kind of endpoint is logged at once, later ones are counted and logged as one line per interval while
/// they go on. The lines name the kind of endpoint only (e.g. <c>/twilio/*</c>), never anything from the
/// request: a webhook carries a caller's number and CallSid.
/// </summary>
internal sealed class RefusalLog(TimeProvider clock, ILogger<RefusalLog> logger) : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(60);

    private readonly Lock _lock = new();
    /// <summary>The kinds refused within the current interval: how many since the last line, and the timer that writes the next.</summary>
    private readonly Dictionary<string, (int Count, ITimer Timer)> _counting = [];

    /// <summary>A request on this kind of endpoint was refused for its signature.</summary>
    public void Refused(string endpoints)
    {
        lock (_lock)
        {
            if (_counting.TryGetValue(endpoints, out var counting))
            {
                _counting[endpoints] = counting with { Count = counting.Count + 1 };
                return;
            }
            _counting[endpoints] = (0, clock.CreateTimer(_ => Tally(endpoints), null, Interval, Interval));
        }
        logger.LogWarning("Refused a request on {Endpoints} with a bad signature; further refusals are counted, one line every {Seconds} s at most",
            endpoints, Interval.TotalSeconds);
    }

    /// <summary>The interval is over: one line with the count, or, when none came, the end of counting (the next refusal is a first again).</summary>
    private void Tally(string endpoints)
    {
        int count;
        lock (_lock)
        {
            if (!_counting.TryGetValue(endpoints, out var counting)) return;
            count = counting.Count;
            if (count == 0)
            {
                counting.Timer.Dispose();
                _counting.Remove(endpoints);
                return;
            }
            _counting[endpoints] = counting with { Count = 0 };
        }
        logger.LogWarning("Refused requests on {Endpoints} with a bad signature: {Count} in the last {Seconds} s", endpoints, count, Interval.TotalSeconds);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var (_, timer) in _counting.Values) timer.Dispose();
            _counting.Clear();
        }
    }
}

using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Partners;

/// <summary>
/// Logs a partner's failures without one line per attempt: in an outage every ride retries every second or
/// two (one ride wrote some 80 lines in two minutes). The first failure is a warning at once; later ones are
/// counted and written as one line per <see cref="PartnerOptions.FailureSummarySeconds"/> while they go on; the
/// partner's next answer ends the count. The lines name the partner and the kind of failure, never a ride.
/// </summary>
internal sealed class PartnerFailureLog(TimeProvider clock, IOptions<PartnerOptions> options, Operator.OperatorSignals signals, ILogger<PartnerFailureLog> logger) : IDisposable
{
    private readonly Lock _lock = new();
    /// <summary>The partners failing now: failures since the last line, the last one's kind, and the timer that writes the next line.</summary>
    private readonly Dictionary<string, (int Count, string Last, ITimer Timer)> _failing = [];

    private TimeSpan Interval => TimeSpan.FromSeconds(options.Value.FailureSummarySeconds);

    /// <summary>An attempt with this partner failed (e.g. "HTTP 503 to a booking").</summary>
    public void Failed(string partner, string failure)
    {
        lock (_lock)
        {
            if (_failing.TryGetValue(partner, out var failing))
            {
                _failing[partner] = (failing.Count + 1, failure, failing.Timer);
                return;
            }
            _failing[partner] = (0, failure, clock.CreateTimer(_ => Tally(partner), null, Interval, Interval));
        }
        logger.LogWarning("Partner {Partner} is failing: {Failure}; further failures are counted, one line every {Seconds} s at most",
            partner, failure, Interval.TotalSeconds);
    }

    /// <summary>The partner answered: a count under way ends, and says so.</summary>
    public void Answered(string partner)
    {
        signals.PartnerAnswers(partner);
        int count;
        lock (_lock)
        {
            if (!_failing.Remove(partner, out var failing)) return;
            failing.Timer.Dispose();
            count = failing.Count;
        }
        logger.LogInformation("Partner {Partner} answers again ({Count} more failures since the last line)", partner, count);
    }

    /// <summary>The interval is over: one line with the count, or, when none came, the end of counting (the next failure is a first again).</summary>
    private void Tally(string partner)
    {
        (int Count, string Last, ITimer Timer) failing;
        lock (_lock)
        {
            if (!_failing.TryGetValue(partner, out failing)) return;
            if (failing.Count == 0)
            {
                failing.Timer.Dispose();
                _failing.Remove(partner);
                return;
            }
            _failing[partner] = failing with { Count = 0 };
        }
        logger.LogWarning("Partner {Partner} still failing: {Count} failed attempts in the last {Seconds} s (last: {Failure})",
            partner, failing.Count, Interval.TotalSeconds, failing.Last);
        signals.PartnerFailing(partner, failing.Count, Interval);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var (_, _, timer) in _failing.Values) timer.Dispose();
            _failing.Clear();
        }
    }
}

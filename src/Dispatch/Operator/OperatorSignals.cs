namespace Alice.Dispatch.Operator;

/// <summary>
/// What this instance alone can see, held in memory until <see cref="OperatorWatch"/> writes it to the database:
/// a partner failing (from the partners' failure log), Twilio's REST API failing (from <see cref="TwilioWatch"/>).
/// Each is held for a while after it was last reported, so a condition whose reports stop (no ride tried the
/// partner since) ends without an answer having been seen.
/// </summary>
internal sealed class OperatorSignals(TimeProvider clock)
{
    /// <summary>Failed Twilio requests in a row before it counts as failing: one refused request is not an outage.</summary>
    private const int TwilioFailuresInARow = 3;
    /// <summary>Twilio is asked seldom (retries back off to 15 minutes): a failure holds that long.</summary>
    private static readonly TimeSpan TwilioHold = TimeSpan.FromMinutes(15);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, (string Detail, DateTimeOffset Until)> _held = [];
    private int _twilioFailures;

    /// <summary>The partner kept failing through one interval of the failure log.</summary>
    public void PartnerFailing(string partner, int failures, TimeSpan interval) =>
        Hold(Conditions.PartnerFailing(partner), $"{failures} failed attempts in {interval.TotalSeconds:0} s", interval * 2);

    public void PartnerAnswers(string partner) => Drop(Conditions.PartnerFailing(partner));

    public void TwilioFailed(string failure)
    {
        int failures;
        lock (_lock) failures = ++_twilioFailures;
        if (failures >= TwilioFailuresInARow) Hold(Conditions.TwilioRestFailing, $"{failures} failed requests in a row (last: {failure})", TwilioHold);
    }

    public void TwilioAnswered()
    {
        lock (_lock) _twilioFailures = 0;
        Drop(Conditions.TwilioRestFailing);
    }

    /// <summary>The conditions this instance sees now, with their details.</summary>
    public IReadOnlyList<(string Key, string Detail)> Now()
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            foreach (var key in _held.Where(h => h.Value.Until <= now).Select(h => h.Key).ToList()) _held.Remove(key);
            return _held.Select(h => (h.Key, h.Value.Detail)).ToList();
        }
    }

    private void Hold(string key, string detail, TimeSpan hold)
    {
        lock (_lock) _held[key] = (detail, clock.GetUtcNow() + hold);
    }

    private void Drop(string key)
    {
        lock (_lock) _held.Remove(key);
    }
}

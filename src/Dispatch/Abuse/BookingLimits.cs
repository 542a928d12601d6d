using Alice.Dispatch.Campuses;
using Microsoft.Extensions.Options;
using Alice.Dispatch.Telemetry;

namespace Alice.Dispatch.Abuse;

/// <summary>What the limits say of a caller about to book.</summary>
internal enum Verdict
{
    /// <summary>Book the ride (also for a retry of a call already let through).</summary>
    Book,
    /// <summary>This number booked as many rides as it may this hour: a person takes the call.</summary>
    CallerLimit,
    /// <summary>The campus took more new rides than a night brings (a flood): a person takes the call.</summary>
    CampusBusy,
}

/// <summary>
/// The hotline's limits against pranks and autodialers, without knowing who calls: a number is counted
/// only as its HMAC under <see cref="CallerKey"/> (a withheld number is not counted per caller), and every
/// count lives in memory for the hour at most. A caller over a limit is never refused: the voice menu puts
/// them through to a person, with words that say so. The first caller turned away in a campus's window
/// raises the alarm (<see cref="FloodAlarm"/>).
/// </summary>
internal sealed class BookingLimits(CallerKey key, FloodAlarm alarm, IOptions<AbuseOptions> options, TimeProvider clock)
{
    private readonly Lock _lock = new();
    private readonly AbuseOptions _o = options.Value;
    /// <summary>This hour's calls let through, by caller: a retry of one of them is let through again, and counts once.</summary>
    private readonly Dictionary<string, HashSet<string>> _callsByCaller = [];
    private long _countedHour = -1;
    private readonly Dictionary<string, Window> _campuses = [];

    /// <summary>Whether this call may book; when it may, it is counted (once, however often Twilio retries it).</summary>
    public Verdict Admit(string campusId, string? from, string callSid)
    {
        var call = key.Of(callSid);
        var caller = PhoneNumbers.IsE164(from) ? key.Of(from!) : null;
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            if (key.Hour != _countedHour)
            {
                // A new key: last hour's counts are under the old one, and go with it.
                _callsByCaller.Clear();
                _countedHour = key.Hour;
            }
            var campus = _campuses.TryGetValue(campusId, out var w) ? w : _campuses[campusId] = new Window();
            campus.Forget(now - _o.CampusWindow);
            var calls = caller is null ? null : _callsByCaller.GetValueOrDefault(caller);
            if (calls?.Contains(call) == true || campus.Holds(call)) return Verdict.Book;
            if (calls?.Count >= _o.CallerBookingsPerHour) return DispatchTelemetry.LimitHit(campusId, Verdict.CallerLimit);
            if (campus.Count >= _o.CampusBookingsPerWindow)
            {
                if (campus.ShouldAlarm(now, _o.CampusWindow)) alarm.Raise(campusId, campus.Count, _o.CampusWindowMinutes);
                return DispatchTelemetry.LimitHit(campusId, Verdict.CampusBusy);
            }
            campus.Add(now, call);
            if (caller is not null && (calls is not null || _callsByCaller.Count < _o.MaxCallersCounted))
                (calls ?? (_callsByCaller[caller] = [])).Add(call);
            return Verdict.Book;
        }
    }

    /// <summary>
    /// The call was let through but booked nothing (a fault put the caller through to a person): it counts
    /// for neither limit, so a caller who tries again during an outage is not told they booked too often.
    /// </summary>
    public void Release(string campusId, string? from, string callSid)
    {
        var call = key.Of(callSid);
        var caller = PhoneNumbers.IsE164(from) ? key.Of(from!) : null;
        lock (_lock)
        {
            if (caller is not null) _callsByCaller.GetValueOrDefault(caller)?.Remove(call);
            _campuses.GetValueOrDefault(campusId)?.Remove(call);
        }
    }

    /// <summary>The new rides a campus took in the last window, oldest first; and when it last raised the alarm.</summary>
    private sealed class Window
    {
        /// <summary>In the order taken, to forget the oldest first; a released call stays here until then, but no longer counts.</summary>
        private readonly Queue<(DateTimeOffset At, string Call)> _order = new();
        private readonly Dictionary<string, DateTimeOffset> _taken = [];
        private DateTimeOffset? _alarmedAt;

        public int Count => _taken.Count;

        public bool Holds(string call) => _taken.ContainsKey(call);

        public void Add(DateTimeOffset at, string call)
        {
            _order.Enqueue((at, call));
            _taken[call] = at;
        }

        public void Remove(string call) => _taken.Remove(call);

        public void Forget(DateTimeOffset before)
        {
            while (_order.TryPeek(out var oldest) && oldest.At < before)
            {
                _order.Dequeue();
                if (_taken.TryGetValue(oldest.Call, out var at) && at == oldest.At) _taken.Remove(oldest.Call);
            }
        }

        /// <summary>Once a window: a flood is one alarm, not one a call.</summary>
        public bool ShouldAlarm(DateTimeOffset now, TimeSpan window)
        {
            if (_alarmedAt is { } at && now - at < window) return false;
            _alarmedAt = now;
            return true;
        }
    }
}

using System.Collections.Concurrent;
using System.Text.Json;

namespace Alice.PartnerSimulator;

/// <summary>
/// A booking as the simulator holds it: one per idempotency key, however often it was sent. State is the
/// furthest event of its lifecycle sent so far (booked before the first one).
/// </summary>
internal sealed record ReceivedBooking(
    string BookingId, string IdempotencyKey, string Reference, int EtaMinutes, DateTimeOffset ReceivedAt,
    JsonElement Body, int Requests, bool Cancelled, string State = BookingLedger.Booked);

/// <summary>Everything the simulator received, in memory: bookings by idempotency key, and refusals.</summary>
internal sealed class BookingLedger
{
    private readonly ConcurrentDictionary<string, ReceivedBooking> _byKey = new();
    private int _refused;
    private int _attempts;

    public int Refused => _refused;
    /// <summary>Every booking request that reached the partner, answered or not.</summary>
    public int Attempts => _attempts;

    public void CountAttempt() => Interlocked.Increment(ref _attempts);
    public IReadOnlyList<ReceivedBooking> All => _byKey.Values.OrderBy(b => b.ReceivedAt).ToList();

    /// <summary>Books once per key; a repeat returns the first booking with its request count raised.</summary>
    public (ReceivedBooking Booking, bool Created) Book(string key, string reference, JsonElement body, DateTimeOffset now)
    {
        var created = false;
        var booking = _byKey.AddOrUpdate(key,
            _ =>
            {
                created = true;
                return new ReceivedBooking($"bk_{Guid.NewGuid():N}"[..15], key, reference, Random.Shared.Next(4, 12), now, body.Clone(), 1, false);
            },
            (_, existing) => existing with { Requests = existing.Requests + 1 });
        return (booking, created);
    }

    public bool Cancel(string bookingId)
    {
        var found = _byKey.Values.FirstOrDefault(b => b.BookingId == bookingId);
        return found is not null && _byKey.TryUpdate(found.IdempotencyKey, found with { Cancelled = true }, found);
    }

    public const string Booked = "booked";

    /// <summary>The lifecycle's events in their order: sent out of order, a ride still ends in the furthest one.</summary>
    private static readonly string[] Lifecycle = [Booked, "no_driver", "accepted", "driver_arrived", "passenger_on_board", "dropped_off"];

    /// <summary>The booking has reached this event of its lifecycle, unless it is already further.</summary>
    public void Advance(string key, string type)
    {
        while (_byKey.TryGetValue(key, out var found) && Array.IndexOf(Lifecycle, type) > Array.IndexOf(Lifecycle, found.State))
            if (_byKey.TryUpdate(key, found with { State = type }, found)) return;
    }

    public void CountRefusal() => Interlocked.Increment(ref _refused);
}

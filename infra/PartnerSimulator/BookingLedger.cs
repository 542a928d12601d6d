using System.Collections.Concurrent;
using System.Text.Json;

namespace Alice.PartnerSimulator;

/// <summary>A booking as the simulator holds it: one per idempotency key, however often it was sent.</summary>
internal sealed record ReceivedBooking(
    string BookingId, string IdempotencyKey, string Reference, int EtaMinutes, DateTimeOffset ReceivedAt,
    JsonElement Body, int Requests, bool Cancelled);

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

    public void CountRefusal() => Interlocked.Increment(ref _refused);
}

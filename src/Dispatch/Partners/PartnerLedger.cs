using System.Data.Common;
using Alice.Dispatch.Storage;
using Dapper;

namespace Alice.Dispatch.Partners;

/// <summary>
/// What the service remembers about partners' bookings and events, apart from the rides: bookings
/// given up (never to be taken back) and events already applied (a repeat changes nothing).
/// </summary>
internal sealed class PartnerLedger(Database database, TimeProvider clock)
{
    /// <summary>Remembers a booking its partner gave up or Alice cancelled, so it is never taken back.</summary>
    public async Task MarkDeadAsync(string partner, string bookingId, string rideId, CancellationToken ct)
    {
        await using var connection = await database.Durable.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO dead_bookings (partner, booking_id, ride_id, at) VALUES (@partner, @bookingId, @rideId, @now) ON CONFLICT DO NOTHING;",
            new { partner, bookingId, rideId, now = clock.GetUtcNow().ToUnixTimeSeconds() }, cancellationToken: ct));
    }

    /// <summary>Whether the booking was given up; in the caller's transaction when it is about to record the booking.</summary>
    public async Task<bool> IsDeadAsync(string partner, string bookingId, CancellationToken ct, DbTransaction? tx = null)
    {
        var sql = "SELECT COUNT(*) FROM dead_bookings WHERE partner = @partner AND booking_id = @bookingId;";
        var args = new CommandDefinition(sql, new { partner, bookingId }, tx, cancellationToken: ct);
        if (tx is not null) return await tx.Connection!.ExecuteScalarAsync<long>(args) > 0;
        await using var connection = await database.Recoverable.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long>(args) > 0;
    }

    /// <summary>Whether this partner event was already applied (partners may send an event more than once).</summary>
    public async Task<bool> EventSeenAsync(string partner, string eventId, CancellationToken ct)
    {
        await using var connection = await database.Recoverable.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM partner_events WHERE partner = @partner AND event_id = @eventId;", new { partner, eventId }, cancellationToken: ct)) > 0;
    }

    /// <summary>Remembers that a partner event was applied.</summary>
    public async Task RecordEventAsync(string partner, string eventId, CancellationToken ct)
    {
        await using var connection = await database.Durable.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO partner_events (partner, event_id, received_at) VALUES (@partner, @eventId, @now) ON CONFLICT DO NOTHING;",
            new { partner, eventId, now = clock.GetUtcNow().ToUnixTimeSeconds() }, cancellationToken: ct));
    }
}

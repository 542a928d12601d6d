using System.Data.Common;
using Alice.Dispatch.Storage;
using Dapper;

namespace Alice.Dispatch.Partners;

/// <summary>
/// What the service remembers about partners' bookings and events, apart from the rides: bookings
/// given up (never to be taken back) and events already applied (a repeat changes nothing). Their
/// times are kept to the hour only: nothing reads them but the retention job, which deletes them.
/// </summary>
internal sealed class PartnerLedger(Database database, TimeProvider clock)
{
    private long Hour => clock.GetUtcNow().ToUnixTimeSeconds() / 3600 * 3600;

    /// <summary>Remembers a booking its partner gave up or Alice cancelled, so it is never taken back.</summary>
    public Task MarkDeadAsync(string partner, string bookingId, string rideId, CancellationToken ct) =>
        database.ExecuteAsync(
            "INSERT INTO dead_bookings (partner, booking_id, ride_id, at) VALUES (@partner, @bookingId, @rideId, @now) ON CONFLICT DO NOTHING;",
            new { partner, bookingId, rideId, now = Hour }, ct);

    /// <summary>Whether the booking was given up.</summary>
    public async Task<bool> IsDeadAsync(string partner, string bookingId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM dead_bookings WHERE partner = @partner AND booking_id = @bookingId;", new { partner, bookingId }, cancellationToken: ct)) > 0;
    }

    /// <summary>Whether the booking was given up; in the caller's transaction, as it is about to record it.</summary>
    public async Task<bool> IsDeadAsync(DbTransaction tx, string partner, string bookingId, CancellationToken ct) =>
        await tx.Connection!.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM dead_bookings WHERE partner = @partner AND booking_id = @bookingId;", new { partner, bookingId }, tx, cancellationToken: ct)) > 0;

    /// <summary>Whether this partner event was already applied (partners may send an event more than once).</summary>
    public async Task<bool> EventSeenAsync(string partner, string eventId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM partner_events WHERE partner = @partner AND event_id = @eventId;", new { partner, eventId }, cancellationToken: ct)) > 0;
    }

    /// <summary>Remembers that a partner event was applied.</summary>
    public Task RecordEventAsync(string partner, string eventId, CancellationToken ct) =>
        database.ExecuteAsync(
            "INSERT INTO partner_events (partner, event_id, received_at) VALUES (@partner, @eventId, @now) ON CONFLICT DO NOTHING;",
            new { partner, eventId, now = Hour }, ct);

    /// <summary>
    /// Claims something done once per booking (ringing a console partner's phone), among the events seen: a
    /// console partner posts no events of its own, so no event id of its can take the claim's name. True for the
    /// one caller that claimed it, false for every other, on any instance. Forgotten with the events, by age.
    /// </summary>
    public async Task<bool> ClaimAsync(string partner, string claim, CancellationToken ct) =>
        await database.ExecuteAsync(
            "INSERT INTO partner_events (partner, event_id, received_at) VALUES (@partner, @claim, @now) ON CONFLICT DO NOTHING;",
            new { partner, claim, now = Hour }, ct) == 1;

    /// <summary>
    /// Forgets the dead bookings of these rides and the events received before <paramref name="before"/>
    /// (a repeat of an event that old finds its ride deleted, or moves it nowhere: events only go forward).
    /// </summary>
    public async Task ForgetAsync(DbTransaction tx, IReadOnlyList<string> rideIds, DateTimeOffset before, CancellationToken ct)
    {
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM dead_bookings WHERE {database.InList("ride_id", "rideIds")};", new { rideIds = rideIds.ToArray() }, tx, cancellationToken: ct));
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            "DELETE FROM partner_events WHERE received_at < @before;", new { before = before.ToUnixTimeSeconds() }, tx, cancellationToken: ct));
    }
}

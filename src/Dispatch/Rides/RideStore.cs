using System.Data.Common;
using Alice.Dispatch.Storage;
using Dapper;

namespace Alice.Dispatch.Rides;

/// <summary>What a caller's choice asks for: a ride for this call (by its keyed hash) from this pickup point.</summary>
internal sealed record RideRequest(string CallKey, string CampusId, string PickupPointId, string Language);

/// <summary>Reads and writes rides.</summary>
internal sealed class RideStore(Database database, TimeProvider clock)
{
    /// <summary>Random draws before the free codes are listed: cheap while few rides are active.</summary>
    private const int RandomDraws = 8;

    private const string Columns =
        "id AS Id, booking_code AS BookingCode, campus AS CampusId, pickup_point AS PickupPointId, " +
        "language AS Language, status AS Status, partner AS Partner, partner_booking_id AS PartnerBookingId, " +
        "eta_minutes AS EtaMinutes, created_at AS CreatedAtSeconds";

    /// <summary>
    /// Writes a ride for each request in one durable transaction (one sync to disk for the whole batch),
    /// unless the call already has one (a Twilio retry): then that ride is returned, not a new one.
    /// A request gets no ride (null) only when every booking code is held by an active ride.
    /// </summary>
    public async Task<IReadOnlyList<(Ride? Ride, bool Created)>> InsertOrGetAsync(IReadOnlyList<RideRequest> requests, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        await using var connection = await database.Durable.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var results = new List<(Ride?, bool)>(requests.Count);
        foreach (var request in requests) results.Add(await InsertOrGetAsync(connection, tx, request, now, ct));
        await tx.CommitAsync(ct);
        return results;
    }

    private static async Task<(Ride?, bool)> InsertOrGetAsync(DbConnection connection, DbTransaction tx, RideRequest request, long now, CancellationToken ct)
    {
        var id = Guid.NewGuid().ToString();
        for (var draw = 0; draw <= RandomDraws; draw++)
        {
            var code = draw < RandomDraws ? BookingCodes.New() : BookingCodes.NewAvoiding(await ActiveCodesAsync(connection, tx, ct));
            if (code is null) return (null, false);
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO rides (id, booking_code, call_key, campus, pickup_point, language, status, created_at, updated_at)
                VALUES (@id, @code, @CallKey, @CampusId, @PickupPointId, @Language, @status, @now, @now)
                ON CONFLICT DO NOTHING;
                """,
                new { id, code, request.CallKey, request.CampusId, request.PickupPointId, request.Language, status = RideStatus.Requested, now },
                tx, cancellationToken: ct));
            // Either ours, or the ride an earlier attempt of the same call made; none means the code was taken.
            var ride = await SingleAsync(connection, "call_key = @CallKey", new { request.CallKey }, ct, tx);
            if (ride is not null) return (ride, ride.Id == id);
        }
        throw new InvalidOperationException("A booking code listed as free was taken inside the same transaction.");
    }

    private static async Task<IReadOnlySet<string>> ActiveCodesAsync(DbConnection connection, DbTransaction tx, CancellationToken ct) =>
        (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT booking_code FROM rides WHERE ended_at IS NULL;", transaction: tx, cancellationToken: ct))).ToHashSet();

    public async Task<Ride?> FindByCallKeyAsync(string callKey, CancellationToken ct)
    {
        await using var connection = await database.Recoverable.OpenConnectionAsync(ct);
        return await SingleAsync(connection, "call_key = @callKey", new { callKey }, ct);
    }

    public async Task<Ride?> FindAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.Recoverable.OpenConnectionAsync(ct);
        return await SingleAsync(connection, "id = @id", new { id }, ct);
    }

    public async Task<IReadOnlyList<string>> IdsWithStatusAsync(string status, CancellationToken ct)
    {
        await using var connection = await database.Recoverable.OpenConnectionAsync(ct);
        var ids = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT id FROM rides WHERE status = @status;", new { status }, cancellationToken: ct));
        return ids.AsList();
    }

    /// <summary>
    /// Records the partner's acceptance; only a ride still waiting for one moves. Not synced on its own:
    /// if a power cut loses it, the ride is booked again under the same idempotency key, which the
    /// partner answers with the same booking.
    /// </summary>
    public async Task<bool> MarkBookedAsync(string id, string partner, string partnerBookingId, int? etaMinutes, CancellationToken ct)
    {
        await using var connection = await database.Recoverable.OpenConnectionAsync(ct);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE rides SET status = @booked, partner = @partner, partner_booking_id = @partnerBookingId,
                             eta_minutes = @etaMinutes, updated_at = @now
            WHERE id = @id AND status = @requested;
            """,
            new { id, partner, partnerBookingId, etaMinutes, booked = RideStatus.Booked, requested = RideStatus.Requested, now = clock.GetUtcNow().ToUnixTimeSeconds() },
            cancellationToken: ct));
        return changed == 1;
    }

    private static async Task<Ride?> SingleAsync(DbConnection connection, string where, object args, CancellationToken ct, DbTransaction? tx = null)
    {
        var row = await connection.QuerySingleOrDefaultAsync<RideRow>(new CommandDefinition(
            $"SELECT {Columns} FROM rides WHERE {where};", args, tx, cancellationToken: ct));
        return row?.ToRide();
    }

    /// <summary>The row as SQLite returns it (timestamps as unix seconds).</summary>
    private sealed record RideRow(
        string Id, string BookingCode, string CampusId, string PickupPointId, string Language, string Status,
        string? Partner, string? PartnerBookingId, long? EtaMinutes, long CreatedAtSeconds)
    {
        public Ride ToRide() => new(Id, BookingCode, CampusId, PickupPointId, Language, Status, Partner,
            PartnerBookingId, (int?)EtaMinutes, DateTimeOffset.FromUnixTimeSeconds(CreatedAtSeconds));
    }
}

using Alice.Dispatch.Storage;
using Dapper;

namespace Alice.Dispatch.Rides;

/// <summary>Reads and writes rides. Every write is a single statement, so each is atomic on its own.</summary>
internal sealed class RideStore(Database database, TimeProvider clock)
{
    private const string Columns =
        "id AS Id, booking_code AS BookingCode, campus AS CampusId, pickup_point AS PickupPointId, " +
        "language AS Language, status AS Status, partner AS Partner, partner_booking_id AS PartnerBookingId, " +
        "eta_minutes AS EtaMinutes, created_at AS CreatedAtSeconds";

    /// <summary>
    /// Inserts a new ride unless one exists for the same call (a Twilio retry) or the code is taken
    /// by an active ride; either way, returns the ride now held for this call, or null on a code clash.
    /// </summary>
    public async Task<Ride?> InsertOrGetAsync(string callKey, string code, string campus, string pickup, string language, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO rides (id, booking_code, call_key, campus, pickup_point, language, status, created_at, updated_at)
            VALUES (@id, @code, @callKey, @campus, @pickup, @language, @status, @now, @now)
            ON CONFLICT DO NOTHING;
            """,
            new { id = Guid.NewGuid().ToString(), code, callKey, campus, pickup, language, status = RideStatus.Requested, now },
            cancellationToken: ct));
        return await SingleAsync(connection, "call_key = @callKey", new { callKey }, ct);
    }

    public async Task<Ride?> FindByCallKeyAsync(string callKey, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await SingleAsync(connection, "call_key = @callKey", new { callKey }, ct);
    }

    public async Task<Ride?> FindAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await SingleAsync(connection, "id = @id", new { id }, ct);
    }

    public async Task<IReadOnlyList<string>> IdsWithStatusAsync(string status, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var ids = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT id FROM rides WHERE status = @status;", new { status }, cancellationToken: ct));
        return ids.AsList();
    }

    /// <summary>Records the partner's acceptance; only a ride still waiting for one moves.</summary>
    public async Task<bool> MarkBookedAsync(string id, string partner, string partnerBookingId, int? etaMinutes, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
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

    private static async Task<Ride?> SingleAsync(System.Data.Common.DbConnection connection, string where, object args, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<RideRow>(new CommandDefinition(
            $"SELECT {Columns} FROM rides WHERE {where};", args, cancellationToken: ct));
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

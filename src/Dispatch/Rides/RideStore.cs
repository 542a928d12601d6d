using System.Data.Common;
using Alice.Dispatch.Storage;
using Dapper;

namespace Alice.Dispatch.Rides;

/// <summary>What a caller's choice asks for: a ride for this call (by its keyed hash) from this pickup point.</summary>
internal sealed record RideRequest(string CallKey, string CampusId, string PickupPointId, string Language);

/// <summary>Reads and writes rides.</summary>
internal sealed class RideStore(Database database, TimeProvider clock)
{
    /// <summary>Whether the booking (@partner, @partnerBookingId) was given up: one definition for the check and the update that refuses it.</summary>
    private const string IsDead = "EXISTS (SELECT 1 FROM dead_bookings WHERE partner = @partner AND booking_id = @partnerBookingId)";

    /// <summary>Random codes tried a ride, all at once, before the free codes are listed: cheap while few rides are active.</summary>
    private const int RandomDraws = 8;

    private const string Columns =
        "id AS Id, booking_code AS BookingCode, campus AS CampusId, pickup_point AS PickupPointId, " +
        "language AS Language, status AS Status, partner AS Partner, partner_booking_id AS PartnerBookingId, " +
        "eta_minutes AS EtaMinutes, vehicle AS Vehicle, partner_index AS PartnerIndex, " +
        "partner_since AS PartnerSinceSeconds, waiting_since AS WaitingSinceSeconds, key_generation AS KeyGeneration, " +
        "created_at AS CreatedAtSeconds";

    /// <summary>
    /// Writes a ride for each request in one durable transaction (one sync to disk for the whole batch),
    /// unless the call already has one (a Twilio retry): then that ride is returned, not a new one.
    /// A request gets no ride (null) only when every booking code is held by an active ride. A few
    /// statements for the whole batch, not a few per ride: the ride writer waits on this alone.
    /// </summary>
    public async Task<IReadOnlyList<(Ride? Ride, bool Created)>> InsertOrGetAsync(IReadOnlyList<RideRequest> requests, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        await using var connection = await database.Durable.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var ids = requests.Select(_ => Guid.NewGuid().ToString()).ToList();
        // The codes are known free inside this transaction, so an insert can only meet the call's own ride.
        var codes = await FreeCodesAsync(connection, tx, requests.Count, ct);
        var inserted = await InsertAsync(connection, tx, requests.Zip(ids, codes).ToList(), now, ct);
        var results = new List<(Ride?, bool)>(requests.Count);
        foreach (var (request, id) in requests.Zip(ids))
            results.Add(inserted.TryGetValue(id, out var ride)
                ? (ride, true)
                // A Twilio retry of the same choice (earlier, or in this batch): the ride its first attempt made, if any.
                : (await SingleAsync(connection, "call_key = @CallKey", new { request.CallKey }, ct, tx), false));
        await tx.CommitAsync(ct);
        return results;
    }

    /// <summary>The rides written, by id; a request whose call already has a ride writes none.</summary>
    private static async Task<Dictionary<string, Ride>> InsertAsync(
        DbConnection connection, DbTransaction tx, IReadOnlyList<(RideRequest Request, string Id, string Code)> rows, long now, CancellationToken ct)
    {
        if (rows.Count == 0) return [];
        var parameters = new DynamicParameters(new { status = RideStatus.Requested, now });
        var values = new List<string>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var (request, id, code) = rows[i];
            parameters.AddDynamicParams(new Dictionary<string, object>
            {
                [$"id{i}"] = id, [$"code{i}"] = code, [$"key{i}"] = request.CallKey,
                [$"campus{i}"] = request.CampusId, [$"point{i}"] = request.PickupPointId, [$"language{i}"] = request.Language,
            });
            values.Add($"(@id{i}, @code{i}, @key{i}, @campus{i}, @point{i}, @language{i}, @status, @now, @now, @now, @now)");
        }
        var written = await connection.QueryAsync<RideRow>(new CommandDefinition(
            $"""
            INSERT INTO rides (id, booking_code, call_key, campus, pickup_point, language, status, partner_since, waiting_since, created_at, updated_at)
            VALUES {string.Join(", ", values)}
            ON CONFLICT DO NOTHING
            RETURNING {Columns};
            """, parameters, tx, cancellationToken: ct));
        return written.Select(r => r.ToRide()).ToDictionary(r => r.Id);
    }

    /// <summary>
    /// Distinct random codes no active ride holds, as many as asked while any are free: a few random
    /// draws a ride, checked in one query, and only when too many of those are taken (a very busy night),
    /// picks among every free code.
    /// </summary>
    private static async Task<List<string>> FreeCodesAsync(DbConnection connection, DbTransaction tx, int count, CancellationToken ct)
    {
        var candidates = Enumerable.Range(0, count * RandomDraws).Select(_ => BookingCodes.New()).Distinct().ToList();
        var taken = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT booking_code FROM rides WHERE ended_at IS NULL AND booking_code IN @candidates;", new { candidates }, tx, cancellationToken: ct))).ToHashSet();
        var free = candidates.Where(c => !taken.Contains(c)).Take(count).ToList();
        if (free.Count == count) return free;
        var held = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT booking_code FROM rides WHERE ended_at IS NULL;", transaction: tx, cancellationToken: ct))).ToHashSet();
        held.UnionWith(free);
        while (free.Count < count && BookingCodes.NewAvoiding(held) is { } code)
        {
            free.Add(code);
            held.Add(code);
        }
        return free;
    }

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

    /// <summary>The rides with these ids that exist, in one read.</summary>
    public async Task<IReadOnlyList<Ride>> FindManyAsync(IReadOnlyList<string> ids, CancellationToken ct)
    {
        await using var connection = await database.Recoverable.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<RideRow>(new CommandDefinition(
            $"SELECT {Columns} FROM rides WHERE id IN @ids;", new { ids }, cancellationToken: ct));
        return rows.Select(r => r.ToRide()).ToList();
    }

    public async Task<IReadOnlyList<string>> IdsWithStatusAsync(string status, CancellationToken ct)
    {
        await using var connection = await database.Recoverable.OpenConnectionAsync(ct);
        var ids = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT id FROM rides WHERE status = @status;", new { status }, cancellationToken: ct));
        return ids.AsList();
    }

    /// <summary>The ride holding this partner booking (the newest, should a partner ever reuse a booking id).</summary>
    public async Task<Ride?> FindByPartnerBookingAsync(string partner, string partnerBookingId, CancellationToken ct)
    {
        await using var connection = await database.Recoverable.OpenConnectionAsync(ct);
        return await SingleAsync(connection, "partner = @partner AND partner_booking_id = @partnerBookingId ORDER BY created_at DESC LIMIT 1", new { partner, partnerBookingId }, ct);
    }

    /// <summary>Remembers a booking its partner gave up or Alice cancelled, so it is never taken back.</summary>
    public async Task MarkDeadAsync(string partner, string bookingId, string rideId, CancellationToken ct)
    {
        await using var connection = await database.Durable.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO dead_bookings (partner, booking_id, ride_id, at) VALUES (@partner, @bookingId, @rideId, @now) ON CONFLICT DO NOTHING;",
            new { partner, bookingId, rideId, now = clock.GetUtcNow().ToUnixTimeSeconds() }, cancellationToken: ct));
    }

    public async Task<bool> IsDeadAsync(string partner, string bookingId, CancellationToken ct)
    {
        await using var connection = await database.Recoverable.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT {IsDead};", new { partner, partnerBookingId = bookingId }, cancellationToken: ct)) == 1;
    }

    /// <summary>A waiting ride gets a new idempotency key, so its partners make new bookings.</summary>
    public Task<bool> RenewKeyAsync(string id, CancellationToken ct) =>
        UpdateAsync(database.Durable, id, RideStatus.Requested, "key_generation = key_generation + 1", new { }, ct);

    /// <summary>The ride still under way that holds this booking code (codes are unique among those).</summary>
    public async Task<Ride?> FindActiveByCodeAsync(string code, CancellationToken ct)
    {
        await using var connection = await database.Recoverable.OpenConnectionAsync(ct);
        return await SingleAsync(connection, "booking_code = @code AND ended_at IS NULL", new { code }, ct);
    }

    /// <summary>
    /// Records that a partner holds the booking; only a ride still waiting for one moves, and never to a
    /// booking given up before (see <see cref="IsDeadAsync"/>). Not synced on its own: if a power cut
    /// loses it, the ride is booked again under the same idempotency key, which the partner answers with
    /// the same booking.
    /// </summary>
    public Task<bool> MarkBookedAsync(string id, string partner, string partnerBookingId, int? etaMinutes, CancellationToken ct) =>
        UpdateAsync(database.Recoverable, id, RideStatus.Requested,
            "status = @to, partner = @partner, partner_booking_id = @partnerBookingId, eta_minutes = @etaMinutes",
            new { to = RideStatus.Booked, partner, partnerBookingId, etaMinutes }, ct,
            unless: IsDead);

    /// <summary>Moves a waiting ride on to the partner at this index of the list, from now.</summary>
    public Task<bool> TryPartnerAsync(string id, int partnerIndex, CancellationToken ct) =>
        UpdateAsync(database.Recoverable, id, RideStatus.Requested,
            "partner_index = @partnerIndex, partner_since = @now", new { partnerIndex }, ct);

    /// <summary>
    /// Applies a partner event's move along the lifecycle, if the ride is still where the caller saw it
    /// (another event may have moved it meanwhile: then nothing changes and the caller reads again).
    /// </summary>
    public Task<bool> AdvanceAsync(Ride ride, string to, int? etaMinutes, string? vehicle, CancellationToken ct) =>
        UpdateAsync(database.Durable, ride.Id, ride.Status,
            "status = @to, eta_minutes = COALESCE(@etaMinutes, eta_minutes), vehicle = COALESCE(@vehicle, vehicle), " +
            "ended_at = CASE WHEN @to = @droppedOff THEN @now ELSE ended_at END",
            new { to, etaMinutes, vehicle, droppedOff = RideStatus.DroppedOff }, ct);

    /// <summary>
    /// The partner gave the booking up (cancelled, no driver): the ride waits again, for the partner at
    /// this index, with its hand-over clock restarted and a new idempotency key.
    /// </summary>
    public Task<bool> RebookAsync(Ride ride, int partnerIndex, CancellationToken ct) =>
        UpdateAsync(database.Durable, ride.Id, ride.Status,
            "status = @to, partner = NULL, partner_booking_id = NULL, eta_minutes = NULL, vehicle = NULL, " +
            "partner_index = @partnerIndex, partner_since = @now, waiting_since = @now, key_generation = key_generation + 1",
            new { to = RideStatus.Requested, partnerIndex }, ct);

    /// <summary>No partner confirmed in time: the ride needs a person, and the centre gets an alert, in one transaction.</summary>
    public async Task<bool> HandOverAsync(string id, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        await using var connection = await database.Durable.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE rides SET status = @to, updated_at = @now WHERE id = @id AND status = @from;",
            new { id, to = RideStatus.NeedsPerson, from = RideStatus.Requested, now }, tx, cancellationToken: ct));
        if (changed == 1)
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO alerts (id, ride_id, kind, created_at) VALUES (@alert, @id, @kind, @now);",
                new { alert = Guid.NewGuid().ToString(), id, kind = RideStatus.NeedsPerson, now }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return changed == 1;
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

    public async Task<IReadOnlyList<string>> OpenAlertsAsync(CancellationToken ct)
    {
        await using var connection = await database.Recoverable.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT ride_id FROM alerts WHERE resolved_at IS NULL ORDER BY created_at;", cancellationToken: ct))).AsList();
    }

    /// <summary>One conditional update: it applies only while the ride's status is still <paramref name="from"/> (and not <paramref name="unless"/>).</summary>
    private async Task<bool> UpdateAsync(DbDataSource source, string id, string from, string set, object args, CancellationToken ct, string? unless = null)
    {
        var parameters = new DynamicParameters(args);
        parameters.AddDynamicParams(new { id, from, now = clock.GetUtcNow().ToUnixTimeSeconds() });
        await using var connection = await source.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE rides SET {set}, updated_at = @now WHERE id = @id AND status = @from{(unless is null ? "" : $" AND NOT {unless}")};", parameters, cancellationToken: ct)) == 1;
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
        string? Partner, string? PartnerBookingId, long? EtaMinutes, string? Vehicle, long PartnerIndex,
        long? PartnerSinceSeconds, long? WaitingSinceSeconds, long KeyGeneration, long CreatedAtSeconds)
    {
        public Ride ToRide() => new(Id, BookingCode, CampusId, PickupPointId, Language, Status, Partner,
            PartnerBookingId, (int?)EtaMinutes, Vehicle, (int)PartnerIndex,
            PartnerSinceSeconds is { } since ? DateTimeOffset.FromUnixTimeSeconds(since) : null,
            DateTimeOffset.FromUnixTimeSeconds(WaitingSinceSeconds ?? CreatedAtSeconds), (int)KeyGeneration,
            DateTimeOffset.FromUnixTimeSeconds(CreatedAtSeconds));
    }
}

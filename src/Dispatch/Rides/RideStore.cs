using System.Data.Common;
using Alice.Dispatch.Campuses;
using Alice.Dispatch.Storage;
using Alice.Dispatch.Totals;
using Alice.Totals;
using Dapper;

namespace Alice.Dispatch.Rides;

/// <summary>
/// What a caller's choice asks for: a ride for this call (by its keyed hash) from this pickup point,
/// first offered to this partner, handed to a person if no partner has confirmed after this long.
/// </summary>
internal sealed record RideRequest(string CallKey, string CampusId, string PickupPointId, Language Language, string FirstPartner, TimeSpan HandOverAfter);

/// <summary>
/// The one door to the rides table, and to the calls that have ended (the memory of call keys once no
/// ride holds them). Every change is one conditional statement: it applies only while
/// the ride is where the caller read it (its status), so concurrent changes never overwrite each other;
/// a false result means "read again". A change the organisers' totals count (a ride booked, moved to
/// another partner, picked up, arrived) adds to them in its own transaction.
/// </summary>
internal sealed class RideStore(Database database, WeeklyTotals totals, TimeProvider clock)
{
    /// <summary>When a partner confirms without an ETA, the driver is expected at the pickup point within this.</summary>
    private const int UnknownEtaMinutes = 20;

    private const string Columns =
        "id AS Id, booking_code AS BookingCode, campus AS CampusId, pickup_point AS PickupPointId, " +
        "language AS Language, status AS Status, partner AS Partner, partner_booking_id AS PartnerBookingId, " +
        "eta_minutes AS EtaMinutes, vehicle AS Vehicle, trying_partner AS TryingPartner, partners_asked AS PartnersAsked, " +
        "partner_since AS PartnerSinceSeconds, waiting_since AS WaitingSinceSeconds, hand_over_at AS HandOverAtSeconds, " +
        "key_generation AS KeyGeneration, created_at AS CreatedAtSeconds, ended_at AS EndedAtSeconds";

    private static readonly string[] Times =
        ["created_at", "updated_at", "ended_at", "partner_since", "waiting_since", "hand_over_at", "eta_at", "on_board_at"];

    /// <summary>What a call key becomes once the call has ended: derived from the ride alone, so unique and matching no CallSid.</summary>
    private const string NoCallKey = "'ended:' || id";

    /// <summary>What writing a ride came to: the ride (new, or the one the call already had), or why there is none.</summary>
    internal sealed record Written(Ride? Ride, bool Created, bool CallEnded);

    /// <summary>
    /// Writes the request's ride in one durable transaction, on disk before this returns, unless the call
    /// already has one (a Twilio retry): then that ride is returned, not a new one. No ride when the call has
    /// ended (a replayed webhook: CallEnded), when every booking code is held by an active ride, or when
    /// <paramref name="heard"/>, asked just before the commit, says the caller will not hear its code (they
    /// were bridged to a person meanwhile): the transaction is rolled back, so that ride never exists.
    /// </summary>
    public async Task<Written> InsertOrGetAsync(RideRequest request, Func<bool> heard, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        // Several instances share a PostgreSQL database: one of them at a time hands out free codes.
        if (database.NewRidesLock.Length > 0) await connection.ExecuteAsync(new CommandDefinition(database.NewRidesLock, transaction: tx, cancellationToken: ct));
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM ended_calls WHERE call_key = @CallKey;", new { request.CallKey }, tx, cancellationToken: ct)) > 0)
            return new(null, false, true);
        if (await SingleAsync(connection, "call_key = @CallKey", new { request.CallKey }, ct, tx) is { } existing) return new(existing, false, false);
        if (await FreeCodes.PickAsync(database, tx, ct) is not { } code) return new(null, false, false);

        var ride = (await connection.QuerySingleAsync<RideRow>(new CommandDefinition(
            $"""
            INSERT INTO rides (id, booking_code, call_key, campus, pickup_point, language, status, trying_partner, partners_asked,
                               partner_since, waiting_since, hand_over_at, created_at, updated_at)
            VALUES (@id, @code, @CallKey, @CampusId, @PickupPointId, @language, @requested, @FirstPartner, @FirstPartner,
                    @now, @now, @handOverAt, @now, @now)
            RETURNING {Columns};
            """,
            new
            {
                id = Guid.NewGuid().ToString(), code, request.CallKey, request.CampusId, request.PickupPointId, language = request.Language.Code,
                requested = Waiting, request.FirstPartner, now, handOverAt = now + (long)request.HandOverAfter.TotalSeconds,
            }, tx, cancellationToken: ct))).ToRide();
        await totals.CountAsync(tx, ride.CampusId, Measure.RidesBooked, ct);
        // Asked last, just before the commit: a caller bridged until now gets no ride; from now on, they hear its code.
        if (!heard()) return new(null, false, false);
        await tx.CommitAsync(ct);
        return new(ride, true, false);
    }

    public Task<Ride?> FindByCallKeyAsync(string callKey, CancellationToken ct) => FindWhereAsync("call_key = @callKey", new { callKey }, ct);

    /// <summary>
    /// The call has ended: its key is remembered until <paramref name="until"/> (so a replayed webhook books
    /// nothing) and no ride holds it any more. In the caller's transaction; false when the call had ended
    /// already (a repeated status callback), which changes nothing.
    /// </summary>
    public async Task<(bool First, bool HadRide)> ForgetCallAsync(DbTransaction tx, string callKey, DateTimeOffset until, CancellationToken ct)
    {
        var first = await tx.Connection!.ExecuteAsync(new CommandDefinition(
            "INSERT INTO ended_calls (call_key, expires_at) VALUES (@callKey, @until) ON CONFLICT DO NOTHING;",
            new { callKey, until = until.ToUnixTimeSeconds() }, tx, cancellationToken: ct)) == 1;
        var hadRide = await tx.Connection!.ExecuteAsync(new CommandDefinition(
            $"UPDATE rides SET call_key = {NoCallKey} WHERE call_key = @callKey;", new { callKey }, tx, cancellationToken: ct)) == 1;
        return (first, hadRide);
    }

    /// <summary>
    /// Rides made before <paramref name="before"/> whose call key is still held (their status callback never
    /// came): the calls are long over, so their keys go the same way. Returns how many.
    /// </summary>
    public async Task<int> ForgetStaleCallsAsync(DateTimeOffset before, DateTimeOffset until, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var args = new { before = before.ToUnixTimeSeconds(), until = until.ToUnixTimeSeconds() };
        const string stale = "created_at < @before AND call_key NOT LIKE 'ended:%'";
        await connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO ended_calls (call_key, expires_at) SELECT call_key, @until FROM rides WHERE {stale} ON CONFLICT DO NOTHING;", args, tx, cancellationToken: ct));
        var forgotten = await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE rides SET call_key = {NoCallKey} WHERE {stale};", args, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return forgotten;
    }

    /// <summary>Ended calls remembered past their time: a replay so late meets the partner's and Twilio's deleted records, not a taxi.</summary>
    public async Task<int> ForgetEndedCallsAsync(DbTransaction tx, DateTimeOffset now, CancellationToken ct) =>
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            "DELETE FROM ended_calls WHERE expires_at <= @now;", new { now = now.ToUnixTimeSeconds() }, tx, cancellationToken: ct));

    /// <summary>
    /// Every ended ride keeps its times only to the hour: exact times serve a ride under way, and once it has
    /// ended they would line it up with the telephony provider's call log. Returns how many rides changed.
    /// </summary>
    public async Task<int> CoarsenEndedAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE rides SET {Hours.Coarsen(Times)} WHERE ended_at IS NOT NULL AND {Hours.AnyFiner(Times)};",
            cancellationToken: ct));
    }

    /// <summary>Rides one retention run deletes at most: a run stays short, and the next one takes the rest.</summary>
    private const int DeletedPerRun = 1000;

    /// <summary>The ids of rides whose time is up: ended before <paramref name="endedBefore"/>, or made before <paramref name="madeBefore"/> whatever became of them.</summary>
    public async Task<IReadOnlyList<string>> ExpiredIdsAsync(DateTimeOffset endedBefore, DateTimeOffset madeBefore, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var ids = await connection.QueryAsync<string>(new CommandDefinition(
            $"SELECT id FROM rides WHERE ended_at < @endedBefore OR created_at < @madeBefore LIMIT {DeletedPerRun};",
            new { endedBefore = endedBefore.ToUnixTimeSeconds(), madeBefore = madeBefore.ToUnixTimeSeconds() }, cancellationToken: ct));
        return ids.AsList();
    }

    /// <summary>Deletes these rides for good, in the caller's transaction (with everything else held for them); their codes may be unused again.</summary>
    public async Task DeleteAsync(DbTransaction tx, IReadOnlyList<string> ids, CancellationToken ct)
    {
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM rides WHERE {database.InList("id", "ids")};", new { ids = ids.ToArray() }, tx, cancellationToken: ct));
    }

    public Task<Ride?> FindAsync(string id, CancellationToken ct) => FindWhereAsync("id = @id", new { id }, ct);

    /// <summary>The ride holding this partner booking (the newest, should a partner ever reuse a booking id).</summary>
    public Task<Ride?> FindByPartnerBookingAsync(string partner, string partnerBookingId, CancellationToken ct) =>
        FindWhereAsync("partner = @partner AND partner_booking_id = @partnerBookingId ORDER BY created_at DESC LIMIT 1", new { partner, partnerBookingId }, ct);

    /// <summary>
    /// The ride whose passenger may arrive with this code: the one under way that holds it (codes are unique
    /// among those), else the latest ride handed to a person whose alert is still open (its code was freed
    /// at the hand-over, and is given to no new ride while any code no stored ride has is left).
    /// </summary>
    public Task<Ride?> FindArrivingByCodeAsync(string code, CancellationToken ct) => FindWhereAsync(
        """
        booking_code = @code AND (ended_at IS NULL
            OR (status = @needsPerson AND id IN (SELECT ride_id FROM alerts WHERE resolved_at IS NULL)))
        ORDER BY CASE WHEN ended_at IS NULL THEN 0 ELSE 1 END, created_at DESC LIMIT 1
        """, new { code, needsPerson = RideStatus.NeedsPerson.ToText() }, ct);

    /// <summary>The rides with these ids that exist, in one read.</summary>
    public async Task<IReadOnlyList<Ride>> FindManyAsync(IReadOnlyList<string> ids, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<RideRow>(new CommandDefinition(
            $"SELECT {Columns} FROM rides WHERE {database.InList("id", "ids")};", new { ids = ids.ToArray() }, cancellationToken: ct));
        return rows.Select(r => r.ToRide()).ToList();
    }

    public async Task<IReadOnlyList<string>> IdsWithStatusAsync(RideStatus status, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var ids = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT id FROM rides WHERE status = @status;", new { status = status.ToText() }, cancellationToken: ct));
        return ids.AsList();
    }

    /// <summary>A waiting ride gets a new idempotency key, so its partners make new bookings.</summary>
    public Task<bool> RenewKeyAsync(string id, CancellationToken ct) => ExecuteAsync(
        "UPDATE rides SET key_generation = key_generation + 1, updated_at = @now WHERE id = @id AND status = @requested;",
        new { id, now = Now, requested = Waiting }, ct);

    /// <summary>A partner's booking of a ride, as its answer or event gave it.</summary>
    internal sealed record PartnerBooking(string RideId, string Partner, string BookingId, int? EtaMinutes);

    /// <summary>
    /// Records that the partner holds this booking, if the ride is still waiting for one: true when it moved.
    /// In the caller's transaction, after it checked the booking was never given up (the partner's ledger).
    /// </summary>
    public async Task<bool> MarkBookedAsync(DbTransaction tx, PartnerBooking booking, CancellationToken ct) =>
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            UPDATE rides SET status = @booked, partner = @Partner, partner_booking_id = @BookingId, eta_minutes = @EtaMinutes,
                   eta_at = @now + COALESCE(@EtaMinutes, @unknownEta) * 60, updated_at = @now
            WHERE id = @RideId AND status = @requested;
            """,
            new { booking.RideId, booking.Partner, booking.BookingId, booking.EtaMinutes, booked = RideStatus.Booked.ToText(), unknownEta = UnknownEtaMinutes, now = Now, requested = Waiting },
            tx, cancellationToken: ct)) == 1;

    /// <summary>Moves a waiting ride on to this partner, from now; the partner joins those asked (a failover, counted).</summary>
    public Task<bool> TryPartnerAsync(Ride ride, string partner, CancellationToken ct) => ExecuteCountedAsync(
        """
        UPDATE rides SET trying_partner = @partner, partners_asked = partners_asked || ',' || @partner, partner_since = @now, updated_at = @now
        WHERE id = @id AND status = @requested
        RETURNING on_board_at;
        """,
        new { id = ride.Id, partner, now = Now, requested = Waiting }, (tx, _) => totals.CountAsync(tx, ride.CampusId, Measure.PartnerFailovers, ct), ct);

    /// <summary>
    /// Applies a partner event's move along the lifecycle, if the ride is still where the caller saw it
    /// (another event may have moved it meanwhile: then nothing changes and the caller reads again). The
    /// passenger on board counts the wait since the booking; the drop-off counts the ride's end.
    /// </summary>
    public Task<bool> AdvanceAsync(Ride ride, RideStatus to, int? etaMinutes, string? vehicle, CancellationToken ct) => ExecuteCountedAsync(
        """
        UPDATE rides SET status = @to, eta_minutes = COALESCE(@etaMinutes, eta_minutes), vehicle = COALESCE(@vehicle, vehicle),
               eta_at = COALESCE(@now + @etaMinutes * 60, eta_at),
               on_board_at = CASE WHEN @to = @onBoard THEN @now ELSE on_board_at END,
               ended_at = CASE WHEN @to = @droppedOff THEN @now ELSE ended_at END, updated_at = @now
        WHERE id = @id AND status = @from
        RETURNING on_board_at;
        """,
        new { id = ride.Id, from = ride.Status.ToText(), to = to.ToText(), etaMinutes, vehicle, onBoard = RideStatus.OnBoard.ToText(), droppedOff = RideStatus.DroppedOff.ToText(), now = Now },
        (tx, onBoardAt) => to switch
        {
            RideStatus.OnBoard => totals.CountDurationAsync(tx, ride.CampusId, Histogram.BookingToPickup, clock.GetUtcNow() - ride.CreatedAt, ct),
            RideStatus.DroppedOff => CountArrivalAsync(tx, ride, onBoardAt, ct),
            _ => Task.CompletedTask,
        }, ct);

    /// <summary>
    /// The partner gave the booking up (cancelled, no driver): the ride waits again, for this partner,
    /// with a new hand-over deadline and a new idempotency key. A ride that has ended is not booked again.
    /// </summary>
    public Task<bool> RebookAsync(Ride ride, string partner, TimeSpan handOverAfter, CancellationToken ct) => ExecuteCountedAsync(
        """
        UPDATE rides SET status = @requested, partner = NULL, partner_booking_id = NULL, eta_minutes = NULL, vehicle = NULL, eta_at = NULL,
               trying_partner = @partner, partners_asked = partners_asked || ',' || @partner, partner_since = @now, waiting_since = @now,
               hand_over_at = @now + @handOverAfter, key_generation = key_generation + 1, updated_at = @now
        WHERE id = @id AND status = @from AND ended_at IS NULL
        RETURNING on_board_at;
        """,
        new { id = ride.Id, from = ride.Status.ToText(), partner, handOverAfter = (long)handOverAfter.TotalSeconds, now = Now, requested = Waiting },
        (tx, _) => totals.CountAsync(tx, ride.CampusId, Measure.PartnerFailovers, ct), ct);

    /// <summary>
    /// No partner confirmed in time, or the last one gave its booking up: the ride needs a person, holds no
    /// partner booking, and has ended as far as the service goes: its code is free again (a flood of rides no
    /// partner takes must not hold every code), and the person acts from its alert. In the caller's
    /// transaction, so the alert that tells a person is written with it.
    /// </summary>
    public async Task<bool> HandOverAsync(DbTransaction tx, string id, RideStatus from, CancellationToken ct) =>
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            UPDATE rides SET status = @needsPerson, partner = NULL, partner_booking_id = NULL, eta_minutes = NULL, vehicle = NULL, eta_at = NULL,
                   ended_at = COALESCE(ended_at, @now), updated_at = @now
            WHERE id = @id AND status = @from;
            """,
            new { id, from = from.ToText(), needsPerson = RideStatus.NeedsPerson.ToText(), now = Now }, tx, cancellationToken: ct)) == 1;

    /// <summary>The rides still under way, for the centre's board, the oldest first (a ride with a person is on the board by its alert).</summary>
    public async Task<IReadOnlyList<Ride>> UnderWayAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<RideRow>(new CommandDefinition(
            $"SELECT {Columns} FROM rides WHERE ended_at IS NULL ORDER BY created_at;", cancellationToken: ct));
        return rows.Select(r => r.ToRide()).ToList();
    }

    /// <summary>
    /// Rides made before <paramref name="before"/> that are still under way with a partner: the taxi came and
    /// went long ago without the partner saying so, and nobody marked an arrival. They end (freeing their
    /// codes, then deleted as any ended ride); a ride still waiting for a partner is handed over instead, by
    /// its booking job. Returns how many ended.
    /// </summary>
    public async Task<int> EndOverdueAsync(DateTimeOffset before, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE rides SET ended_at = @now, updated_at = @now WHERE ended_at IS NULL AND status <> @requested AND created_at < @before;",
            new { before = before.ToUnixTimeSeconds(), now = Now, requested = Waiting }, cancellationToken: ct));
    }

    /// <summary>Rides that arrived at the centre since then, the latest first: the police can be asked for only on those.</summary>
    public async Task<IReadOnlyList<Ride>> ArrivedSinceAsync(DateTimeOffset since, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<RideRow>(new CommandDefinition(
            $"SELECT {Columns} FROM rides WHERE status = @droppedOff AND ended_at >= @since ORDER BY ended_at DESC;",
            new { droppedOff = RideStatus.DroppedOff.ToText(), since = since.ToUnixTimeSeconds() }, cancellationToken: ct));
        return rows.Select(r => r.ToRide()).ToList();
    }

    /// <summary>Rides a partner confirmed whose driver is not at the pickup point although the ETA was before <paramref name="cutoff"/>.</summary>
    public async Task<IReadOnlyList<Ride>> LateForPickupAsync(DateTimeOffset cutoff, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<RideRow>(new CommandDefinition(
            $"SELECT {Columns} FROM rides WHERE status IN (@booked, @accepted) AND ended_at IS NULL AND eta_at < @cutoff;",
            new { booked = RideStatus.Booked.ToText(), accepted = RideStatus.Accepted.ToText(), cutoff = cutoff.ToUnixTimeSeconds() }, cancellationToken: ct));
        return rows.Select(r => r.ToRide()).ToList();
    }

    /// <summary>
    /// The passenger is at the centre: the ride ends (its booking code is free again), whatever the partner
    /// last reported; a ride a person took over (ended already) arrives too. In the caller's transaction, with
    /// the alerts it closes, the audit entry and the totals.
    /// </summary>
    public Task<bool> ArriveAsync(DbTransaction tx, Ride ride, CancellationToken ct) => ChangeCountedAsync(tx,
        """
        UPDATE rides SET status = @droppedOff, ended_at = @now, updated_at = @now
        WHERE id = @id AND status = @from AND (ended_at IS NULL OR status = @needsPerson) RETURNING on_board_at;
        """,
        new { id = ride.Id, from = ride.Status.ToText(), droppedOff = RideStatus.DroppedOff.ToText(), needsPerson = RideStatus.NeedsPerson.ToText(), now = Now },
        (tx, onBoardAt) => CountArrivalAsync(tx, ride, onBoardAt, ct), ct);

    /// <summary>A ride ended at the centre: counted, with the time from pickup when the partner reported the pickup.</summary>
    private async Task CountArrivalAsync(DbTransaction tx, Ride ride, long? onBoardAt, CancellationToken ct)
    {
        await totals.CountAsync(tx, ride.CampusId, Measure.Arrived, ct);
        if (onBoardAt is { } since)
            await totals.CountDurationAsync(tx, ride.CampusId, Histogram.PickupToArrival, clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(since), ct);
    }

    /// <summary>The time a change is stamped with, as stored (unix seconds); each statement names it as <c>@now</c>.</summary>
    private long Now => clock.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>The waiting status as stored; statements name it as <c>@requested</c>.</summary>
    private static readonly string Waiting = RideStatus.Requested.ToText();

    private async Task<bool> ExecuteAsync(string sql, object args, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(sql, args, cancellationToken: ct)) == 1;
    }

    /// <summary>A change that the totals count when it applies, both in a transaction of its own (see <see cref="ChangeCountedAsync"/>).</summary>
    private async Task<bool> ExecuteCountedAsync(string sql, object args, Func<DbTransaction, long?, Task> count, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var changed = await ChangeCountedAsync(tx, sql, args, count, ct);
        await tx.CommitAsync(ct);
        return changed;
    }

    /// <summary>
    /// A change (ending in <c>RETURNING on_board_at</c>: one row when it applied) and, when it applied, its
    /// count in the totals, in the caller's transaction; <paramref name="count"/> gets the ride's on-board time.
    /// </summary>
    private async Task<bool> ChangeCountedAsync(DbTransaction tx, string sql, object args, Func<DbTransaction, long?, Task> count, CancellationToken ct)
    {
        var changed = (await tx.Connection!.QueryAsync<long?>(new CommandDefinition(sql, args, tx, cancellationToken: ct))).ToList();
        if (changed.Count == 1) await count(tx, changed[0]);
        return changed.Count == 1;
    }

    private async Task<Ride?> FindWhereAsync(string where, object args, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await SingleAsync(connection, where, args, ct);
    }

    private static async Task<Ride?> SingleAsync(DbConnection connection, string where, object args, CancellationToken ct, DbTransaction? tx = null)
    {
        var row = await connection.QuerySingleOrDefaultAsync<RideRow>(new CommandDefinition(
            $"SELECT {Columns} FROM rides WHERE {where};", args, tx, cancellationToken: ct));
        return row?.ToRide();
    }

    /// <summary>The row as stored: texts for the typed values, unix seconds for times.</summary>
    private sealed record RideRow(
        string Id, string BookingCode, string CampusId, string PickupPointId, string Language, string Status,
        string? Partner, string? PartnerBookingId, long? EtaMinutes, string? Vehicle, string? TryingPartner, string PartnersAsked,
        long? PartnerSinceSeconds, long? WaitingSinceSeconds, long HandOverAtSeconds, long KeyGeneration, long CreatedAtSeconds, long? EndedAtSeconds)
    {
        public Ride ToRide() => new(Id, BookingCode, CampusId, PickupPointId, Languages.FromCode(Language), RideStatuses.Parse(Status),
            Partner, PartnerBookingId, (int?)EtaMinutes, Vehicle, TryingPartner,
            new PartnersAsked(PartnersAsked),
            PartnerSinceSeconds is { } since ? DateTimeOffset.FromUnixTimeSeconds(since) : null,
            DateTimeOffset.FromUnixTimeSeconds(WaitingSinceSeconds ?? CreatedAtSeconds),
            DateTimeOffset.FromUnixTimeSeconds(HandOverAtSeconds), (int)KeyGeneration,
            DateTimeOffset.FromUnixTimeSeconds(CreatedAtSeconds),
            EndedAtSeconds is { } ended ? DateTimeOffset.FromUnixTimeSeconds(ended) : null);
    }
}

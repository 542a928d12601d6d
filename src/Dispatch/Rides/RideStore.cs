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
internal sealed record RideRequest(string CallKey, string CampusId, string PickupPointId, Language Language, string FirstPartner, TimeSpan HandOverAfter,
    Channel Channel);

/// <summary>How the ride was asked for: counted apart in the organisers' totals (a text is no call answered).</summary>
internal enum Channel { Voice, Text }

/// <summary>
/// A ride: written when its caller chooses a pickup point (counted in the organisers' totals in the same
/// transaction), and found by what identifies it. Its moves along the lifecycle are <see cref="RideMoves"/>.
/// </summary>
internal sealed class RideStore(Database database, EndedCalls endedCalls, WeeklyTotals totals, TimeProvider clock)
{
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
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryInsertOrGetAsync(request, heard, ct);
            }
            catch (DbException e) when (database.IsUniqueViolation(e) && attempt < WritesAtOnce)
            {
                // Another instance sharing the PostgreSQL database wrote the same code, or this call's ride
                // (a retry answered by the other instance), at the same moment: the unique indexes refused
                // the second, before anything was committed. Again, in a new transaction that sees the first.
            }
        }
    }

    /// <summary>Tries to write a new ride more often than instances can write one at the same moment.</summary>
    private const int WritesAtOnce = 8;

    private async Task<Written> TryInsertOrGetAsync(RideRequest request, Func<bool> heard, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (await endedCalls.ContainsAsync(tx, request.CallKey, ct)) return new(null, false, true);
        var existing = await RideRows.QueryAsync(connection, $"SELECT {RideRows.Columns} FROM rides WHERE call_key = @CallKey;", new { request.CallKey }, ct, tx);
        if (existing.Count > 0) return new(existing[0], false, false);
        if (await BookingCodes.PickFreeAsync(database, tx, ct) is not { } code) return new(null, false, false);

        var ride = (await RideRows.QueryAsync(connection,
            $"""
            INSERT INTO rides (id, booking_code, call_key, campus, pickup_point, language, status, trying_partner, partners_asked,
                               partner_since, waiting_since, hand_over_at, created_at, updated_at)
            VALUES (@id, @code, @CallKey, @CampusId, @PickupPointId, @language, @start, @FirstPartner, @FirstPartner,
                    @now, @now, @handOverAt, @now, @now)
            RETURNING {RideRows.Columns};
            """,
            new
            {
                id = Guid.NewGuid().ToString(), code, request.CallKey, request.CampusId, request.PickupPointId, language = request.Language.Code,
                start = RideLifecycle.Start.Status.ToText(), request.FirstPartner, now, handOverAt = now + (long)request.HandOverAfter.TotalSeconds,
            }, ct, tx)).Single();
        await totals.CountAsync(tx, ride.CampusId, Measure.RidesBooked, ct);
        if (request.Channel == Channel.Text) await totals.CountAsync(tx, ride.CampusId, Measure.RidesBookedByText, ct);
        // Asked last, just before the commit: a caller bridged until now gets no ride; from now on, they hear its code.
        if (!heard()) return new(null, false, false);
        await tx.CommitAsync(ct);
        return new(ride, true, false);
    }

    public Task<Ride?> FindAsync(string id, CancellationToken ct) => FindWhereAsync("id = @id", new { id }, ct);

    public Task<Ride?> FindByCallKeyAsync(string callKey, CancellationToken ct) => FindWhereAsync("call_key = @callKey", new { callKey }, ct);

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

    /// <summary>The latest ride with this code that arrived at the centre since then: a code given twice at the desk is answered with its arrival.</summary>
    public Task<Ride?> FindArrivedByCodeAsync(string code, DateTimeOffset since, CancellationToken ct) => FindWhereAsync(
        "booking_code = @code AND status = @droppedOff AND ended_at >= @since ORDER BY ended_at DESC LIMIT 1",
        new { code, droppedOff = RideStatus.DroppedOff.ToText(), since = since.ToUnixTimeSeconds() }, ct);

    /// <summary>The rides with these ids that exist, in one read.</summary>
    public async Task<IReadOnlyList<Ride>> FindManyAsync(IReadOnlyList<string> ids, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await RideRows.QueryAsync(connection,
            $"SELECT {RideRows.Columns} FROM rides WHERE {database.InList("id", "ids")};", new { ids = ids.ToArray() }, ct);
    }

    /// <summary>The ids of the rides waiting for a partner: the booking sweep gives each its job.</summary>
    public async Task<IReadOnlyList<string>> WaitingIdsAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var ids = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT id FROM rides WHERE status = @requested;", new { requested = RideStatus.Requested.ToText() }, cancellationToken: ct));
        return ids.AsList();
    }

    private async Task<Ride?> FindWhereAsync(string where, object args, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await RideRows.QueryAsync(connection, $"SELECT {RideRows.Columns} FROM rides WHERE {where};", args, ct)).SingleOrDefault();
    }
}

using System.Data.Common;
using Alice.Dispatch.Storage;
using Alice.Dispatch.Totals;
using Alice.Totals;
using Dapper;

namespace Alice.Dispatch.Rides;

/// <summary>
/// Every change of a ride's state: one statement per event of <see cref="RideLifecycle"/>, guarded by its
/// table (<see cref="RideLifecycle.Guard"/>), so it applies only while the ride is in a state that takes the
/// event and concurrent writers never overwrite each other: a false result means "read again". What the
/// organisers' totals count of a move is added in the move's own transaction.
/// </summary>
internal sealed class RideMoves(Database database, WeeklyTotals totals, TimeProvider clock)
{
    /// <summary>When a partner confirms without an ETA, the driver is expected at the pickup point within this.</summary>
    private const int UnknownEtaMinutes = 20;

    /// <summary>A partner's booking of a ride, as its answer or event gave it.</summary>
    internal sealed record PartnerBooking(string RideId, string Partner, string BookingId, int? EtaMinutes);

    /// <summary>
    /// <see cref="RideEvent.PartnerBooked"/>: the partner holds this booking. In the caller's transaction,
    /// after it checked the booking was never given up (the partner's ledger).
    /// </summary>
    public async Task<bool> BookedAsync(DbTransaction tx, PartnerBooking booking, CancellationToken ct) =>
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE rides SET status = @to, partner = @Partner, partner_booking_id = @BookingId, eta_minutes = @EtaMinutes,
                   eta_at = @now + COALESCE(@EtaMinutes, @unknownEta) * 60, updated_at = @now
            WHERE id = @RideId AND {RideLifecycle.Guard(RideEvent.PartnerBooked)};
            """,
            new { booking.RideId, booking.Partner, booking.BookingId, booking.EtaMinutes, to = To(RideEvent.PartnerBooked), unknownEta = UnknownEtaMinutes, now = Now },
            tx, cancellationToken: ct)) == 1;

    /// <summary><see cref="RideEvent.NextPartnerAsked"/>: the waiting ride moves on to this partner, from now (a failover, counted).</summary>
    public Task<bool> NextPartnerAsync(Ride ride, string partner, CancellationToken ct) => InTransactionAsync(tx => MoveAsync(tx, ride, RideEvent.NextPartnerAsked,
        $"""
        UPDATE rides SET trying_partner = @partner, partners_asked = partners_asked || ',' || @partner, partner_since = @now, updated_at = @now
        WHERE id = @id AND {RideLifecycle.Guard(RideEvent.NextPartnerAsked)}
        RETURNING on_board_at;
        """,
        new { id = ride.Id, partner, now = Now }, ct), ct);

    /// <summary><see cref="RideEvent.BookingAskedAgain"/>: the waiting ride gets a new idempotency key, so its partners make new bookings.</summary>
    public async Task<bool> AskAgainAsync(string rideId, CancellationToken ct) =>
        await database.ExecuteAsync(
            $"UPDATE rides SET key_generation = key_generation + 1, updated_at = @now WHERE id = @id AND {RideLifecycle.Guard(RideEvent.BookingAskedAgain)};",
            new { id = rideId, now = Now }, ct) == 1;

    /// <summary>
    /// A partner's news of the ride (accepted, driver arrived, passenger on board, dropped off), with the ETA and
    /// the car when it gave them. The passenger on board counts the wait since the booking; the drop-off ends the
    /// ride and counts its arrival. Until the passenger is on board the ETA is the pickup's; from then on it is
    /// the arrival at the centre, known only if the partner gives one with that news or later: the pickup's is
    /// dropped, never shown as the arrival's.
    /// </summary>
    public Task<bool> PartnerReportedAsync(Ride ride, RideEvent e, int? etaMinutes, string? vehicle, CancellationToken ct)
    {
        var (stamp, eta) = e switch
        {
            RideEvent.PartnerAccepted or RideEvent.DriverArrived => ("", Keep),
            RideEvent.PassengerOnBoard => ("on_board_at = @now,", "eta_minutes = @etaMinutes, eta_at = @now + @etaMinutes * 60"),
            RideEvent.DroppedOff => ("ended_at = @now,", Keep),
            _ => throw new ArgumentOutOfRangeException(nameof(e), e, "Not a partner's news of a ride."),
        };
        return InTransactionAsync(tx => MoveAsync(tx, ride, e,
            $"""
            UPDATE rides SET status = @to, {eta}, vehicle = COALESCE(@vehicle, vehicle), {stamp} updated_at = @now
            WHERE id = @id AND {RideLifecycle.Guard(e)}
            RETURNING on_board_at;
            """,
            new { id = ride.Id, to = To(e), etaMinutes, vehicle, now = Now }, ct), ct);
    }

    /// <summary>A new ETA replaces the one before; none given keeps it.</summary>
    private const string Keep = "eta_minutes = COALESCE(@etaMinutes, eta_minutes), eta_at = COALESCE(@now + @etaMinutes * 60, eta_at)";

    /// <summary>
    /// <see cref="RideEvent.PartnerGaveUp"/>: the ride waits again, for this partner, with a new hand-over
    /// deadline and a new idempotency key (a failover, counted).
    /// </summary>
    public Task<bool> RebookAsync(Ride ride, string partner, TimeSpan handOverAfter, CancellationToken ct) => InTransactionAsync(tx => MoveAsync(tx, ride, RideEvent.PartnerGaveUp,
        $"""
        UPDATE rides SET status = @to, partner = NULL, partner_booking_id = NULL, eta_minutes = NULL, vehicle = NULL, eta_at = NULL,
               trying_partner = @partner, partners_asked = partners_asked || ',' || @partner, partner_since = @now, waiting_since = @now,
               hand_over_at = @now + @handOverAfter, key_generation = key_generation + 1, updated_at = @now
        WHERE id = @id AND {RideLifecycle.Guard(RideEvent.PartnerGaveUp)}
        RETURNING on_board_at;
        """,
        new { id = ride.Id, to = To(RideEvent.PartnerGaveUp), partner, handOverAfter = (long)handOverAfter.TotalSeconds, now = Now }, ct), ct);

    /// <summary>
    /// <see cref="RideEvent.NoPartnerConfirmed"/> or <see cref="RideEvent.LastPartnerGaveUp"/>: the ride needs a
    /// person, holds no partner booking, and has ended as far as the service goes: its code is free again (a
    /// flood of rides no partner takes must not hold every code), and the person acts from its alert. In the
    /// caller's transaction, so the alert that tells a person is written with it; counted.
    /// </summary>
    public Task<bool> HandOverAsync(DbTransaction tx, Ride ride, RideEvent e, CancellationToken ct) => e is RideEvent.NoPartnerConfirmed or RideEvent.LastPartnerGaveUp
        ? MoveAsync(tx, ride, e,
            $"""
            UPDATE rides SET status = @to, partner = NULL, partner_booking_id = NULL, eta_minutes = NULL, vehicle = NULL, eta_at = NULL,
                   ended_at = @now, updated_at = @now
            WHERE id = @id AND {RideLifecycle.Guard(e)}
            RETURNING on_board_at;
            """,
            new { id = ride.Id, to = To(e), now = Now }, ct)
        : throw new ArgumentOutOfRangeException(nameof(e), e, "Not a hand-over.");

    /// <summary>
    /// <see cref="RideEvent.ArrivedAtCentre"/>: the passenger is at the centre, the ride ends (its code is free
    /// again), whatever the partner last reported. The status it was in is kept (the board says what became of
    /// the taxi). A booking a partner holds for a passenger not yet on board is owed a cancellation, which the
    /// booking sweep asks for (<see cref="CancelsOwedAsync"/>): written here, in the arrival's own transaction, it
    /// survives a crash. A ride still being booked owes none: its booking run cancels whatever answer comes back.
    /// In the caller's transaction, with the alerts it closes and the audit entry; counted.
    /// </summary>
    public Task<bool> ArriveAsync(DbTransaction tx, Ride ride, CancellationToken ct) => MoveAsync(tx, ride, RideEvent.ArrivedAtCentre,
        $"""
        UPDATE rides SET status = @to, ended_at = @now, updated_at = @now, arrived_while = status,
               cancel_owed = CASE WHEN status IN ({Literals(CalledOff)}) AND partner_booking_id IS NOT NULL THEN 1 ELSE 0 END
        WHERE id = @id AND {RideLifecycle.Guard(RideEvent.ArrivedAtCentre)}
        RETURNING on_board_at;
        """,
        new { id = ride.Id, to = To(RideEvent.ArrivedAtCentre), now = Now }, ct);

    /// <summary>The statuses in which an arrival calls the partner's taxi off: booked, and the passenger not yet on board.</summary>
    public static readonly RideStatus[] CalledOff = [RideStatus.Booked, RideStatus.Accepted, RideStatus.DriverArrived];

    /// <summary>A partner's booking an arrival called off, still to be cancelled.</summary>
    internal sealed record OwedCancel(string RideId, string Partner, string BookingId);

    /// <summary>The bookings arrivals called off whose cancellation is not yet asked for.</summary>
    public async Task<IReadOnlyList<OwedCancel>> CancelsOwedAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<OwedCancel>(new CommandDefinition(
            "SELECT id AS RideId, partner AS Partner, partner_booking_id AS BookingId FROM rides WHERE cancel_owed = 1 AND partner IS NOT NULL AND partner_booking_id IS NOT NULL;",
            cancellationToken: ct))).AsList();
    }

    /// <summary>The cancellation of the ride's called-off booking is asked for (its job is in the durable store).</summary>
    public Task CancelAskedAsync(string rideId, CancellationToken ct) =>
        database.ExecuteAsync("UPDATE rides SET cancel_owed = 0 WHERE id = @rideId;", new { rideId }, ct);

    private static string Literals(IEnumerable<RideStatus> statuses) => string.Join(", ", statuses.Select(s => $"'{s.ToText()}'"));

    /// <summary>
    /// <see cref="RideEvent.Overdue"/> for every ride made before <paramref name="before"/>: the taxi came and went
    /// long ago without the partner saying so, and nobody marked an arrival. They end (freeing their codes, then
    /// deleted as any ended ride). Returns how many ended.
    /// </summary>
    public Task<int> EndOverdueAsync(DateTimeOffset before, CancellationToken ct) =>
        database.ExecuteAsync(
            $"UPDATE rides SET ended_at = @now, updated_at = @now WHERE created_at < @before AND {RideLifecycle.Guard(RideEvent.Overdue)};",
            new { before = before.ToUnixTimeSeconds(), now = Now }, ct);

    /// <summary>The status the event writes, as stored.</summary>
    private static string To(RideEvent e) =>
        RideLifecycle.To(e)?.ToText() ?? throw new ArgumentOutOfRangeException(nameof(e), e, "This event leaves the status as it is.");

    /// <summary>The time a move is stamped with, as stored (unix seconds); each statement names it as <c>@now</c>.</summary>
    private long Now => clock.GetUtcNow().ToUnixTimeSeconds();

    private async Task<bool> InTransactionAsync(Func<DbTransaction, Task<bool>> move, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var moved = await move(tx);
        await tx.CommitAsync(ct);
        return moved;
    }

    /// <summary>
    /// A move (its statement ending in <c>RETURNING on_board_at</c>: one row when it applied) and, when it
    /// applied, what the totals count of it, in the caller's transaction.
    /// </summary>
    private async Task<bool> MoveAsync(DbTransaction tx, Ride ride, RideEvent e, string sql, object args, CancellationToken ct)
    {
        var moved = (await tx.Connection!.QueryAsync<long?>(new CommandDefinition(sql, args, tx, cancellationToken: ct))).ToList();
        if (moved.Count != 1) return false;
        await CountAsync(tx, ride, e, moved[0], ct);
        return true;
    }

    /// <summary>What the organisers' totals count of each move; <paramref name="onBoardAt"/> is the ride's pickup time, when reported.</summary>
    private async Task CountAsync(DbTransaction tx, Ride ride, RideEvent e, long? onBoardAt, CancellationToken ct)
    {
        switch (e)
        {
            case RideEvent.NextPartnerAsked or RideEvent.PartnerGaveUp:
                await totals.CountAsync(tx, ride.CampusId, Measure.PartnerFailovers, ct);
                break;
            case RideEvent.NoPartnerConfirmed or RideEvent.LastPartnerGaveUp:
                await totals.CountAsync(tx, ride.CampusId, Measure.HandedOver, ct);
                break;
            case RideEvent.PassengerOnBoard:
                await totals.CountDurationAsync(tx, ride.CampusId, Histogram.BookingToPickup, clock.GetUtcNow() - ride.CreatedAt, ct);
                break;
            case RideEvent.DroppedOff or RideEvent.ArrivedAtCentre:
                await totals.CountAsync(tx, ride.CampusId, Measure.Arrived, ct);
                if (onBoardAt is { } since)
                    await totals.CountDurationAsync(tx, ride.CampusId, Histogram.PickupToArrival, clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(since), ct);
                break;
        }
    }
}

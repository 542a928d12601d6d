using Alice.Dispatch.Partners;
using Alice.Dispatch.Rides;
using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Booking;

/// <summary>
/// Applies partner events to rides, found by the idempotency key or the booking id they hold (partner API
/// v1.1), as the events of the ride's lifecycle they are (<see cref="RideLifecycle"/>). Events may repeat and
/// come out of order: a ride only ever moves forward, and the one move back (to waiting for a partner)
/// follows the partner giving the booking up.
/// Applying an event twice changes nothing, so an event is applied first and recorded as seen after.
/// </summary>
internal sealed class PartnerEventHandler(
    RideStore rides, RideMoves moves, RideTransitions transitions, PartnerLedger ledger, BookingScheduler scheduler,
    IOptions<PartnerOptions> options, ILogger<PartnerEventHandler> logger) : IPartnerEvents
{
    /// <summary>Another event can move the ride between our read and our write; a few rounds settle it.</summary>
    private const int Rounds = 5;

    /// <summary>The ride's lifecycle event each partner's news is (giving the booking up is two, by whether a partner is left).</summary>
    private static RideEvent NewsOf(PartnerEventType type) => type switch
    {
        PartnerEventType.Accepted => RideEvent.PartnerAccepted,
        PartnerEventType.DriverArrived => RideEvent.DriverArrived,
        PartnerEventType.PassengerOnBoard => RideEvent.PassengerOnBoard,
        PartnerEventType.DroppedOff => RideEvent.DroppedOff,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "The partner gives the booking up: see RebookAsync."),
    };

    /// <summary>How the event's booking stands to the ride it names.</summary>
    private enum Standing
    {
        /// <summary>No ride is known by the key or booking: nothing to apply it to.</summary>
        Unknown,
        /// <summary>The key names one ride and another ride holds the booking: one of them is wrong, so neither moves.</summary>
        Contradicts,
        /// <summary>The ride holds this very booking.</summary>
        Holds,
        /// <summary>A booking under the ride's current key that the ride does not hold (yet): its answer was lost, or came too late.</summary>
        CurrentKey,
        /// <summary>A booking under a key the ride gave up (its partner cancelled or found no driver): never to be taken.</summary>
        OlderKey,
    }

    public async Task<IPartnerEvents.Result> ApplyAsync(PartnerOptions.Provider partner, PartnerEvent e, CancellationToken ct)
    {
        if (await ledger.EventSeenAsync(partner.Name, e.EventId, ct)) return IPartnerEvents.Result.Duplicate;
        // Named by field and kind of fault only: the value itself could be anything, a caller's words among them.
        if (e.Dropped.Count > 0)
            logger.LogWarning("{Partner} sent an event whose {Dropped} cannot be said to a caller or texted; applied without it",
                partner.Name, string.Join(", ", e.Dropped));
        for (var round = 0; round < Rounds; round++)
        {
            var (ride, standing) = await FindAsync(partner, e, ct);
            if (standing == Standing.Contradicts)
            {
                logger.LogWarning("{Partner} sent an event whose idempotency key and booking id belong to different rides; nothing changed", partner.Name);
                return IPartnerEvents.Result.Contradicts;
            }
            if (ride is null) return IPartnerEvents.Result.UnknownBooking;
            if (await ApplyToAsync(ride, standing, partner, e, ct))
            {
                await ledger.RecordEventAsync(partner.Name, e.EventId, ct);
                return IPartnerEvents.Result.Applied;
            }
        }
        throw new InvalidOperationException($"Ride kept changing while an event of {partner.Name} was applied.");
    }

    /// <summary>
    /// The ride the event is about. Only what Alice gave this partner proves it: the booking id a ride holds,
    /// or the idempotency key it was sent. A booking code never does: four digits, reused once a ride ends,
    /// a wrong one would mark another waiting ride booked and get that ride's real booking cancelled.
    /// </summary>
    private async Task<(Ride?, Standing)> FindAsync(PartnerOptions.Provider partner, PartnerEvent e, CancellationToken ct)
    {
        var holder = await rides.FindByPartnerBookingAsync(partner.Name, e.BookingId, ct);
        // v1 (no key): the booking id alone, where a ride holds it. A lost answer needs no event: the booking
        // run asks again under the same key and the partner answers with the same booking.
        if (e.IdempotencyKey is null) return holder is null ? (null, Standing.Unknown) : (holder, Standing.Holds);
        // A key Alice never sent this partner (no such ride, a generation not reached, a partner never asked) names nothing.
        if (Ride.ParseKey(e.IdempotencyKey) is not (var rideId, var generation)
            || await rides.FindAsync(rideId, ct) is not { } ride
            || generation > ride.KeyGeneration || !ride.PartnersAsked.Contains(partner.Name))
            return (null, Standing.Unknown);
        if (holder is not null) return holder.Id == ride.Id ? (holder, Standing.Holds) : (null, Standing.Contradicts);
        return (ride, generation == ride.KeyGeneration ? Standing.CurrentKey : Standing.OlderKey);
    }

    /// <summary>False when the ride changed under us and the event must be looked at again.</summary>
    private async Task<bool> ApplyToAsync(Ride ride, Standing standing, PartnerOptions.Provider partner, PartnerEvent e, CancellationToken ct)
    {
        if (standing != Standing.Holds)
        {
            if (e.GivesUp)
            {
                // Given up before the ride held it (its answer was lost, or its key was given up): never to be taken back.
                await ledger.MarkDeadAsync(partner.Name, e.BookingId, ride.Id, ct);
                return true;
            }
            if (await ledger.IsDeadAsync(partner.Name, e.BookingId, ct)) return true; // a late event for a booking given up or cancelled
            if (standing == Standing.CurrentKey && ride.State.Takes(RideEvent.PartnerBooked))
            {
                // The ride is still waiting and the key proves the booking is its own: take it (a ghost found).
                if (await transitions.RecordBookingAsync(ride.Id, partner.Name, e.BookingId, e.EtaMinutes, ct) != RideTransitions.Recorded.Booked) return false;
                logger.LogInformation("Ride {RideId} booked with {Partner} (from its event)", ride.Id, partner.Name);
                return false; // read again: now the ride holds it, and the event's own move applies
            }
            // The ride is with another partner or a person, or the booking is under a key it gave up:
            // one live booking per ride, so this one is cancelled (it is this partner's, for this ride).
            logger.LogWarning("Ride {RideId}: {Partner} holds an extra booking; cancelling it", ride.Id, partner.Name);
            await scheduler.ScheduleCancelAsync(partner.Name, e.BookingId, ride.Id, ct);
            return true;
        }

        if (e.GivesUp)
        {
            await ledger.MarkDeadAsync(partner.Name, e.BookingId, ride.Id, ct);
            return await RebookAsync(ride, partner, e, ct);
        }
        var news = NewsOf(e.Type);
        if (!ride.State.Takes(news)) return true; // late or repeated: never backwards
        return await moves.PartnerReportedAsync(ride, news, e.EtaMinutes, e.VehicleText, ct);
    }

    /// <summary>The partner cancelled or found no driver: the next partner not yet asked, or a person.</summary>
    private async Task<bool> RebookAsync(Ride ride, PartnerOptions.Provider partner, PartnerEvent e, CancellationToken ct)
    {
        var o = options.Value;
        var next = BookingPlan.Unasked(o.Providers.Select(p => p.Name).ToList(), ride.PartnersAsked.Names);
        var why = next is null ? RideEvent.LastPartnerGaveUp : RideEvent.PartnerGaveUp;
        // Already travelling, with a person, or over: too late to matter.
        if (!ride.State.Takes(why)) return true;
        if (next is null)
            return await transitions.HandOverAsync(ride, why, $"{partner.Name} gave the booking up ({e.Type}) and no partner is left", ct);
        if (!await moves.RebookAsync(ride, next, TimeSpan.FromSeconds(o.HandOverAfterSeconds), ct)) return false;
        logger.LogWarning("Ride {RideId}: {Partner} gave the booking up ({Type}); booking with {Next}", ride.Id, partner.Name, e.Type, next);
        await scheduler.ScheduleAsync(ride.Id, ct);
        return true;
    }
}

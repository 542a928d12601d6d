using Alice.Dispatch.Partners;
using Alice.Dispatch.Rides;
using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Booking;

/// <summary>
/// Applies partner events to rides. Events may repeat and come out of order: a ride only ever moves
/// forward, and the one move back (to waiting for a partner) follows the partner giving the booking up.
/// Applying an event twice changes nothing, so an event is applied first and recorded as seen after.
/// </summary>
internal sealed class PartnerEventHandler(
    RideStore rides, RideTransitions transitions, PartnerLedger ledger, BookingScheduler scheduler,
    IOptions<PartnerOptions> options, ILogger<PartnerEventHandler> logger) : IPartnerEvents
{
    /// <summary>Another event can move the ride between our read and our write; a few rounds settle it.</summary>
    private const int Rounds = 5;

    /// <summary>The status each lifecycle event moves a ride to.</summary>
    private static readonly Dictionary<PartnerEventType, RideStatus> Moves = new()
    {
        [PartnerEventType.Accepted] = RideStatus.Accepted,
        [PartnerEventType.DriverArrived] = RideStatus.DriverArrived,
        [PartnerEventType.PassengerOnBoard] = RideStatus.OnBoard,
        [PartnerEventType.DroppedOff] = RideStatus.DroppedOff,
    };

    public async Task<IPartnerEvents.Result> ApplyAsync(PartnerOptions.Provider partner, PartnerEvent e, CancellationToken ct)
    {
        if (await ledger.EventSeenAsync(partner.Name, e.EventId, ct)) return IPartnerEvents.Result.Duplicate;
        for (var round = 0; round < Rounds; round++)
        {
            var (ride, holdsBooking) = await FindAsync(partner, e, ct);
            if (ride is null) return IPartnerEvents.Result.UnknownBooking;
            if (await ApplyToAsync(ride, holdsBooking, partner, e, ct))
            {
                await ledger.RecordEventAsync(partner.Name, e.EventId, ct);
                return IPartnerEvents.Result.Applied;
            }
        }
        throw new InvalidOperationException($"Ride kept changing while an event of {partner.Name} was applied.");
    }

    /// <summary>The ride the event is about, and whether that ride holds this very booking.</summary>
    private async Task<(Ride?, bool)> FindAsync(PartnerOptions.Provider partner, PartnerEvent e, CancellationToken ct)
    {
        if (await rides.FindByPartnerBookingAsync(partner.Name, e.BookingId, ct) is { } ride) return (ride, true);
        // Not the booking a ride holds: a partner answering after the ride went to another, or a
        // booking whose answer was lost. The booking code says which ride it is.
        return e.Reference is null ? (null, false) : (await rides.FindActiveByCodeAsync(e.Reference, ct), false);
    }

    /// <summary>False when the ride changed under us and the event must be looked at again.</summary>
    private async Task<bool> ApplyToAsync(Ride ride, bool holdsBooking, PartnerOptions.Provider partner, PartnerEvent e, CancellationToken ct)
    {
        if (!holdsBooking)
        {
            if (e.GivesUp)
            {
                // Given up before the ride held it (its answer was lost): never to be taken back.
                await ledger.MarkDeadAsync(partner.Name, e.BookingId, ride.Id, ct);
                return true;
            }
            if (await ledger.IsDeadAsync(partner.Name, e.BookingId, ct)) return true; // a late event for a booking given up or cancelled
            if (ride.Status == RideStatus.Requested && ride.PartnersAsked.Contains(partner.Name))
            {
                // The ride is still waiting and this partner has it: take the booking (a ghost found).
                if (await transitions.RecordBookingAsync(ride.Id, partner.Name, e.BookingId, e.EtaMinutes, ct) != RideTransitions.Recorded.Booked) return false;
                logger.LogInformation("Ride {RideId} booked with {Partner} (from its event)", ride.Id, partner.Name);
                return false; // read again: now the ride holds it, and the event's own move applies
            }
            // The ride is with another partner or a person, or this partner was never asked for it
            // (a code can belong to an older ride): one live booking per ride.
            logger.LogWarning("Ride {RideId}: {Partner} holds an extra booking; cancelling it", ride.Id, partner.Name);
            await scheduler.ScheduleCancelAsync(partner.Name, e.BookingId, ride.Id, ct);
            return true;
        }

        if (e.GivesUp)
        {
            await ledger.MarkDeadAsync(partner.Name, e.BookingId, ride.Id, ct);
            return await RebookAsync(ride, partner, e, ct);
        }
        var to = Moves[e.Type];
        if (!RideStatuses.IsForward(ride.Status, to)) return true; // late or repeated: never backwards
        return await rides.AdvanceAsync(ride, to, e.EtaMinutes, e.VehicleText, ct);
    }

    /// <summary>The partner cancelled or found no driver: the next partner not yet asked, or a person.</summary>
    private async Task<bool> RebookAsync(Ride ride, PartnerOptions.Provider partner, PartnerEvent e, CancellationToken ct)
    {
        // Already travelling, with a person, or over: too late to matter.
        if (ride.Status >= RideStatus.OnBoard || ride.EndedAt is not null) return true;
        var o = options.Value;
        var next = BookingPlan.Unasked(o.Providers.Select(p => p.Name).ToList(), ride.PartnersAsked.Names);
        if (next is null)
            return await transitions.HandOverAsync(ride, $"{partner.Name} gave the booking up ({e.Type}) and no partner is left", ct);
        if (!await rides.RebookAsync(ride, next, TimeSpan.FromSeconds(o.HandOverAfterSeconds), ct)) return false;
        logger.LogWarning("Ride {RideId}: {Partner} gave the booking up ({Type}); booking with {Next}", ride.Id, partner.Name, e.Type, next);
        // A job of its own: the group's job that first booked it may still be running the others.
        await scheduler.ScheduleNewAsync([ride.Id], ct);
        return true;
    }
}

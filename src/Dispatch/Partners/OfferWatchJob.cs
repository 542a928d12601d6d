using System.Globalization;
using Alice.Dispatch.Rides;
using Microsoft.Extensions.Options;
using Quartz;

namespace Alice.Dispatch.Partners;

/// <summary>
/// Watches one booking offered on a partner's page. Not accepted within the partner's AcceptWithinSeconds:
/// its dispatch phone rings, once per booking (claimed in the partners' ledger before it rings, so two
/// instances, or a run again after a crash, never ring it twice). Still not accepted when the partner's time is
/// up: the booking is given up exactly as the partner's own "no driver" event gives it up, through the same
/// handler, so the ride moves on to the next partner, or to a person, as for an API partner.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class OfferWatchJob(RideStore rides, PartnerLedger ledger, DispatchPhone phone, IPartnerEvents events,
    IOptions<PartnerOptions> options, TimeProvider clock, ILogger<OfferWatchJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        var data = context.MergedJobDataMap;
        var partner = options.Value.Console(data.GetString(ConsoleOffers.PartnerKey));
        if (partner is null) return; // no longer a console partner: nothing to watch
        var bookingId = data.GetString(ConsoleOffers.BookingIdKey)!;
        var giveUpAt = DateTimeOffset.FromUnixTimeSeconds(long.Parse(data.GetString(ConsoleOffers.GiveUpAtKey)!, CultureInfo.InvariantCulture));
        // Accepted (or further), or the ride no longer holds this booking: nothing left to watch.
        if (await rides.FindByPartnerBookingAsync(partner.Name, bookingId, ct) is not { Status: RideStatus.Booked, EndedAt: null } ride) return;

        if (clock.GetUtcNow() < giveUpAt)
        {
            await ConsoleOffers.WatchAgainAsync(context, giveUpAt, ct);
            if (!await ledger.ClaimAsync(partner.Name, $"ring:{bookingId}", ct)) return;
            try
            {
                await phone.RingAsync(partner, ride, ct);
                logger.LogWarning("Ride {RideId}: not accepted on {Partner}'s page in time; its dispatch phone was rung", ride.Id, partner.Name);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The give-up still comes at its time: a phone that cannot be reached must not hold the ride.
                logger.LogError("Ride {RideId}: {Partner}'s dispatch phone could not be rung ({Error})", ride.Id, partner.Name, e.GetType().Name);
            }
            return;
        }
        logger.LogWarning("Ride {RideId}: nobody accepted it on {Partner}'s page in its time; given up as its no-driver event would", ride.Id, partner.Name);
        await events.ApplyAsync(partner, new PartnerEvent($"unaccepted:{bookingId}", IdempotencyKey: null, bookingId, PartnerEventType.NoDriver, null, null), ct);
    }
}

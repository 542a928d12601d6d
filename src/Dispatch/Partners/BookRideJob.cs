using Alice.Dispatch.Campuses;
using Alice.Dispatch.Rides;
using Microsoft.Extensions.Options;
using Quartz;

namespace Alice.Dispatch.Partners;

/// <summary>
/// Sends one ride to the taxi partner. Holds only the ride id in its job data. Safe to run more than
/// once: the ride id is the partner's idempotency key, and a ride already booked is left alone.
/// </summary>
internal sealed class BookRideJob(
    RideStore rides,
    PartnerClient partners,
    IOptions<PartnerOptions> partnerOptions,
    CampusDirectory campuses,
    ILogger<BookRideJob> logger) : IJob
{
    public const string RideIdKey = "rideId";
    public const string AttemptKey = "attempt";

    /// <summary>Between runs of the job once its quick in-process retries are spent.</summary>
    private static readonly TimeSpan[] RunDelays = [TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30)];

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        var rideId = context.MergedJobDataMap.GetString(RideIdKey)!;
        var attempt = context.MergedJobDataMap.TryGetInt(AttemptKey, out var a) ? a : 0;
        var ride = await rides.FindAsync(rideId, ct);
        if (ride is null || ride.Status != RideStatus.Requested) return;

        var partner = partnerOptions.Value.Providers[0];
        var outcome = await partners.BookAsync(partner, ride.Id, ToRequest(ride, partner), ct);
        switch (outcome)
        {
            case BookingOutcome.Accepted(var answer):
                await rides.MarkBookedAsync(ride.Id, partner.Name, answer.BookingId, answer.EtaMinutes, ct);
                logger.LogInformation("Ride {RideId} booked with {Partner}", ride.Id, partner.Name);
                break;
            default:
                if (context.Scheduler.Status is not SchedulerStatus.Running || ct.IsCancellationRequested)
                {
                    // The service is stopping: the ride stays requested, and BookingRecovery books it at the next start.
                    logger.LogWarning("Ride {RideId} not booked before shutdown; it is booked at the next start", ride.Id);
                    return;
                }
                var delay = RunDelays[Math.Min(attempt, RunDelays.Length - 1)];
                logger.LogWarning("Ride {RideId} not booked yet ({Outcome}); trying again in {Delay}", ride.Id, outcome, delay);
                await BookingScheduler.RetryLaterAsync(context, delay, attempt + 1, ct);
                break;
        }
    }

    private BookingRequest ToRequest(Ride ride, PartnerOptions.Provider partner)
    {
        var hotline = campuses.Hotline;
        var campus = campuses.ById(ride.CampusId)
            ?? throw new InvalidOperationException($"Ride {ride.Id} names campus '{ride.CampusId}', which is no longer configured.");
        var pickup = campus.PickupPoints.Single(p => p.Id == ride.PickupPointId);
        var d = hotline.Destination;
        return new BookingRequest(
            ride.BookingCode,
            new BookingRequest.PickupPlace(pickup.Names[Languages.French.Code], pickup.Address, pickup.Lat, pickup.Lng, pickup.Instructions),
            new BookingRequest.Place(d.Name, d.Address, d.Lat, d.Lng),
            Passengers: 1,
            partner.Account,
            ride.CreatedAt);
    }
}

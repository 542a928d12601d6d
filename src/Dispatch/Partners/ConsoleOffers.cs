using System.Globalization;
using Quartz;

namespace Alice.Dispatch.Partners;

/// <summary>
/// Bookings for a partner working on Alice's page (<see cref="PartnerOptions.PartnerMode.Console"/>): no call
/// to make, the booking is offered on its page at once. Its booking id is made from the ride's idempotency key,
/// so a second booking run for the same ride offers the very same booking, as an API partner answers the same
/// key with the same booking. Each offer gets one durable job (<see cref="OfferWatchJob"/>) that rings the
/// dispatch phone if nobody accepts it in time, then gives the booking up if still nobody has. It lives no
/// longer than the hand-over deadline, long before retention deletes the ride it names.
/// </summary>
internal sealed class ConsoleOffers(ISchedulerFactory schedulers, TimeProvider clock)
{
    private const string Jobs = "console-offer";
    public const string PartnerKey = "partner";
    public const string BookingIdKey = "bookingId";
    public const string RideIdKey = "rideId";
    /// <summary>When an offer not yet accepted is given up (unix seconds): the partner's budget, or the hand-over deadline when no partner is left.</summary>
    public const string GiveUpAtKey = "giveUpAt";

    /// <summary>The booking the partner's page shows for this key.</summary>
    public static string BookingIdFor(string idempotencyKey) => $"page-{idempotencyKey}";

    /// <summary>Offers the ride on the partner's page until <paramref name="until"/> (the time the booking run gives this partner); always taken.</summary>
    public async Task<BookingOutcome> OfferAsync(PartnerOptions.Provider partner, string rideId, string idempotencyKey, DateTimeOffset until, CancellationToken ct)
    {
        var bookingId = BookingIdFor(idempotencyKey);
        var scheduler = await schedulers.GetScheduler(ct);
        var job = JobBuilder.Create<OfferWatchJob>()
            .WithIdentity($"{partner.Name}:{bookingId}", Jobs)
            .UsingJobData(PartnerKey, partner.Name)
            .UsingJobData(BookingIdKey, bookingId)
            .UsingJobData(RideIdKey, rideId)
            .UsingJobData(GiveUpAtKey, until.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture))
            .RequestRecovery()
            .Build();
        var ringAt = clock.GetUtcNow() + TimeSpan.FromSeconds(partner.AcceptWithinSeconds);
        try
        {
            await scheduler.ScheduleJob(job, Trigger(job.Key, ringAt < until ? ringAt : until), default, ct);
        }
        catch (ObjectAlreadyExistsException)
        {
            // Offered already (another run for the same ride): its job watches it.
        }
        return new BookingOutcome.Accepted(new BookingAnswer(bookingId, EtaMinutes: null));
    }

    /// <summary>The watch's next look at the offer, at <paramref name="at"/>.</summary>
    public static async Task WatchAgainAsync(IJobExecutionContext context, DateTimeOffset at, CancellationToken ct) =>
        await context.Scheduler.RescheduleJob(context.Trigger.Key, Trigger(context.JobDetail.Key, at), ct);

    private static ITrigger Trigger(JobKey job, DateTimeOffset at) => TriggerBuilder.Create()
        .WithIdentity(job.Name, job.Group)
        .ForJob(job)
        .StartAt(at)
        .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
        .Build();
}

using System.Globalization;
using Alice.Dispatch.Partners;
using Quartz;

namespace Alice.Dispatch.Booking;

/// <summary>
/// Puts rides' bookings into the durable job store, where they survive a restart of the process: a ride
/// whose first run (in the booking queue) did not book it, or that the sweep or a partner's event finds
/// waiting. Each ride has a job of its own, named after the ride, so giving it one twice is harmless.
/// </summary>
internal sealed class BookingScheduler(ISchedulerFactory schedulers, PartnerLedger ledger, TimeProvider clock, ILogger<BookingScheduler> logger)
{
    private const string OwnJobs = "book-ride";
    private const string CancelJobs = "cancel-booking";
    private const string AttemptKey = "attempt";

    public static JobKey JobFor(string rideId) => new(rideId, OwnJobs);

    /// <summary>
    /// Deletes every job held for these rides, which retention deletes: their booking, and a cancel still
    /// retried (keyed by the partner's booking, the ride in its data; a handful are ever pending), so that
    /// nothing of a deleted ride is left in the job store.
    /// </summary>
    public static async Task ForgetAsync(IScheduler scheduler, IReadOnlyCollection<string> rideIds, CancellationToken ct)
    {
        if (rideIds.Count == 0) return;
        foreach (var id in rideIds) await scheduler.DeleteJob(JobFor(id), ct);
        foreach (var key in await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(CancelJobs), ct))
            if (await scheduler.GetJobDetail(key, ct) is { } job && rideIds.Contains(job.JobDataMap.GetString(CancelBookingJob.RideIdKey)))
                await scheduler.DeleteJob(key, ct);
    }

    /// <summary>Schedules the ride's booking at once, unless it already has a job.</summary>
    public async Task ScheduleAsync(string rideId, CancellationToken ct) =>
        await ScheduleOwnAsync(await schedulers.GetScheduler(ct), rideId, TimeSpan.Zero, 0, ct);

    /// <summary>
    /// Schedules the booking of each ride that has no job (after a retry, a crash or a power cut); returns how many.
    /// </summary>
    public async Task<int> EnsureScheduledAsync(IReadOnlyList<string> rideIds, CancellationToken ct)
    {
        // Asked for every batch the booking queue handles, most often with none.
        if (rideIds.Count == 0) return 0;
        var scheduler = await schedulers.GetScheduler(ct);
        var given = 0;
        foreach (var id in rideIds)
        {
            if (await scheduler.Exists(JobFor(id), ct)) continue;
            await ScheduleOwnAsync(scheduler, id, TimeSpan.Zero, 0, ct);
            given++;
        }
        return given;
    }

    /// <summary>
    /// Asks the partner to cancel a booking the ride does not need, and remembers it as dead so it is
    /// never taken back. Keyed by partner and booking id, so asking twice is harmless.
    /// </summary>
    public async Task ScheduleCancelAsync(string partner, string bookingId, string rideId, CancellationToken ct)
    {
        await ledger.MarkDeadAsync(partner, bookingId, rideId, ct);
        var scheduler = await schedulers.GetScheduler(ct);
        var job = JobBuilder.Create<CancelBookingJob>()
            .WithIdentity($"{partner}:{bookingId}", CancelJobs)
            .UsingJobData(CancelBookingJob.PartnerKey, partner)
            .UsingJobData(CancelBookingJob.BookingIdKey, bookingId)
            .UsingJobData(CancelBookingJob.RideIdKey, rideId)
            .UsingJobData(CancelBookingJob.SinceKey, clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture))
            .RequestRecovery()
            .Build();
        try
        {
            await scheduler.ScheduleJob(job, Trigger(job.Key, TimeSpan.Zero, 0), default, ct);
        }
        catch (ObjectAlreadyExistsException)
        {
            // Already on its way.
        }
    }

    /// <summary>Which run of a retried job this is (0 for the first), as <see cref="RunAgainAsync"/> recorded it.</summary>
    public static int AttemptOf(IJobExecutionContext context) =>
        int.TryParse(context.MergedJobDataMap.GetString(AttemptKey), out var attempt) ? attempt : 0;

    /// <summary>
    /// Runs the job again after a delay, keeping its identity, as the given attempt. False when the
    /// service is stopping: nothing is scheduled, and the sweep picks the work up after the restart.
    /// </summary>
    public async Task<bool> RunAgainAsync(IJobExecutionContext context, TimeSpan delay, int attempt, CancellationToken ct)
    {
        if (IsStopping(context.Scheduler, ct)) return false;
        await context.Scheduler.RescheduleJob(context.Trigger.Key, Trigger(context.JobDetail.Key, delay, attempt), ct);
        return true;
    }

    /// <summary>
    /// The ride's next run, in its job: the job it runs in (when given) runs again, else the ride gets one.
    /// When the service is stopping, the ride stays waiting and the sweep books it after the restart.
    /// </summary>
    public async Task BookAgainAsync(string rideId, BookingRun.Next next, IJobExecutionContext? job, CancellationToken ct)
    {
        var scheduled = job is not null
            ? await RunAgainAsync(job, next.Delay, next.Attempt, ct)
            : await ScheduleOwnUnlessStoppingAsync(rideId, next, ct);
        if (!scheduled) LeftForRestart(rideId);
    }

    /// <summary>The ride stays waiting, and the sweep books it after the restart.</summary>
    public void LeftForRestart(string rideId) =>
        logger.LogWarning("Ride {RideId} not booked before shutdown; it is booked after the restart", rideId);

    private async Task<bool> ScheduleOwnUnlessStoppingAsync(string rideId, BookingRun.Next next, CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        if (IsStopping(scheduler, ct)) return false;
        await ScheduleOwnAsync(scheduler, rideId, next.Delay, next.Attempt, ct);
        return true;
    }

    private static bool IsStopping(IScheduler scheduler, CancellationToken ct) =>
        scheduler.Status is not SchedulerStatus.Running || ct.IsCancellationRequested;

    private async Task ScheduleOwnAsync(IScheduler scheduler, string rideId, TimeSpan delay, int attempt, CancellationToken ct)
    {
        var job = JobBuilder.Create<BookRideJob>()
            .WithIdentity(JobFor(rideId))
            .RequestRecovery()
            .Build();
        try
        {
            await scheduler.ScheduleJob(job, Trigger(job.Key, delay, attempt), default, ct);
        }
        catch (ObjectAlreadyExistsException)
        {
            // It has one (the sweep or an event got there first): that job books it.
        }
    }

    /// <summary>Every job here has one trigger, named like the job; a late one fires as soon as it can.</summary>
    private ITrigger Trigger(JobKey job, TimeSpan delay, int attempt) => TriggerBuilder.Create()
        .WithIdentity(job.Name, job.Group)
        .ForJob(job)
        .UsingJobData(AttemptKey, attempt.ToString(CultureInfo.InvariantCulture))
        .StartAt(clock.GetUtcNow() + delay)
        .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
        .Build();
}

using System.Globalization;
using Alice.Dispatch.Partners;
using Quartz;

namespace Alice.Dispatch.Booking;

/// <summary>
/// Puts rides' bookings into the durable job store, where they survive a restart of the process. New
/// rides written together share one job; a ride that needs more than one run gets a job of its own,
/// named after the ride, so giving it one twice is harmless.
/// </summary>
internal sealed class BookingScheduler(ISchedulerFactory schedulers, PartnerLedger ledger, TimeProvider clock)
{
    /// <summary>Jobs for one ride each, named after the ride.</summary>
    private const string OwnJobs = "book-ride";
    /// <summary>Jobs for several new rides at once, their ids in the job data.</summary>
    private const string GroupJobs = "book-new-rides";
    private const string RideIdsKey = "rideIds";
    private const string AttemptKey = "attempt";

    public static JobKey JobFor(string rideId) => new(rideId, OwnJobs);

    public static bool IsGroup(IJobDetail job) => job.Key.Group == GroupJobs;

    /// <summary>The rides a booking job is for.</summary>
    public static IReadOnlyList<string> RideIdsOf(IJobDetail job) =>
        IsGroup(job) ? job.JobDataMap.GetString(RideIdsKey)!.Split(',') : [job.Key.Name];

    /// <summary>
    /// Schedules the booking of rides that have no job yet: a job of its own for one ride, one job for
    /// them all when there are several.
    /// </summary>
    public async Task ScheduleNewAsync(IReadOnlyList<string> rideIds, CancellationToken ct)
    {
        if (rideIds.Count == 0) return;
        var scheduler = await schedulers.GetScheduler(ct);
        if (rideIds.Count == 1)
        {
            await ScheduleOwnAsync(scheduler, rideIds[0], TimeSpan.Zero, 0, ct);
            return;
        }
        var job = JobBuilder.Create<BookRideJob>()
            .WithIdentity(Guid.NewGuid().ToString(), GroupJobs)
            .UsingJobData(RideIdsKey, string.Join(',', rideIds))
            // Run again after a crash mid-booking; the partner's idempotency key makes that safe.
            .RequestRecovery()
            .Build();
        await scheduler.ScheduleJob(job, Trigger(job.Key, TimeSpan.Zero, 0), default, ct);
    }

    /// <summary>
    /// Schedules the booking of each ride that has no job, neither of its own nor in a group (after a
    /// retry, a crash or a power cut); returns how many.
    /// </summary>
    public async Task<int> EnsureScheduledAsync(IReadOnlyList<string> rideIds, CancellationToken ct)
    {
        // Asked for every batch the booking queue handles, most often with none: listing the group jobs is then work for nothing.
        if (rideIds.Count == 0) return 0;
        var scheduler = await schedulers.GetScheduler(ct);
        var groups = await scheduler.GetJobDetails(await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(GroupJobs), ct), ct);
        var inGroups = groups.SelectMany(RideIdsOf).ToHashSet();
        var missing = new List<string>();
        foreach (var id in rideIds)
            if (!inGroups.Contains(id) && !await scheduler.Exists(JobFor(id), ct)) missing.Add(id);
        await ScheduleNewAsync(missing, ct);
        return missing.Count;
    }

    public async Task<bool> HasOwnJobAsync(string rideId, CancellationToken ct) =>
        await (await schedulers.GetScheduler(ct)).Exists(JobFor(rideId), ct);

    /// <summary>
    /// Asks the partner to cancel a booking the ride does not need, and remembers it as dead so it is
    /// never taken back. Keyed by partner and booking id, so asking twice is harmless.
    /// </summary>
    public async Task ScheduleCancelAsync(string partner, string bookingId, string rideId, CancellationToken ct)
    {
        await ledger.MarkDeadAsync(partner, bookingId, rideId, ct);
        var scheduler = await schedulers.GetScheduler(ct);
        var job = JobBuilder.Create<CancelBookingJob>()
            .WithIdentity($"{partner}:{bookingId}", "cancel-booking")
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
        if (IsStopping(context, ct)) return false;
        await context.Scheduler.RescheduleJob(context.Trigger.Key, Trigger(context.JobDetail.Key, delay, attempt), ct);
        return true;
    }

    /// <summary>From a group's job: the ride's next run, after a delay, in a job of its own. False when the service is stopping.</summary>
    public async Task<bool> ScheduleOwnJobAsync(IJobExecutionContext context, string rideId, TimeSpan delay, int attempt, CancellationToken ct)
    {
        if (IsStopping(context, ct)) return false;
        await ScheduleOwnAsync(context.Scheduler, rideId, delay, attempt, ct);
        return true;
    }

    private static bool IsStopping(IJobExecutionContext context, CancellationToken ct) =>
        context.Scheduler.Status is not SchedulerStatus.Running || ct.IsCancellationRequested;

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

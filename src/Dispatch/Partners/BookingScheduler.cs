using Alice.Dispatch.Rides;
using Quartz;

namespace Alice.Dispatch.Partners;

/// <summary>
/// Puts rides' bookings into the durable job store. One job per ride, keyed by the ride id, so
/// scheduling twice is harmless and a job survives a restart of the process.
/// </summary>
internal sealed class BookingScheduler(ISchedulerFactory schedulers, RideStore rides)
{
    private const string Group = "book-ride";
    private const string AttemptKey = "attempt";

    public static JobKey JobFor(string rideId) => new(rideId, Group);

    /// <summary>Schedules the booking jobs of rides that have none, in one call.</summary>
    public async Task ScheduleNewAsync(IReadOnlyList<string> rideIds, CancellationToken ct)
    {
        if (rideIds.Count == 0) return;
        var scheduler = await schedulers.GetScheduler(ct);
        try
        {
            await scheduler.ScheduleJobs(rideIds.ToDictionary(Job, id => (IReadOnlyCollection<ITrigger>)[Trigger(id)]), default, ct);
        }
        catch (ObjectAlreadyExistsException)
        {
            // The sweep got to one of them first, and the batch was stored as a whole or not at all:
            // one by one, then, so none of the others waits for the next sweep.
            foreach (var id in rideIds)
            {
                try { await scheduler.ScheduleJob(Job(id), Trigger(id), default, ct); }
                catch (ObjectAlreadyExistsException) { }
            }
        }
    }

    /// <summary>Schedules the booking job of each ride that has none (after a retry, a crash or a power cut); returns how many.</summary>
    public async Task<int> EnsureScheduledAsync(IReadOnlyList<string> rideIds, CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var missing = new List<string>();
        foreach (var id in rideIds)
            if (!await scheduler.Exists(JobFor(id), ct)) missing.Add(id);
        await ScheduleNewAsync(missing, ct);
        return missing.Count;
    }

    /// <summary>
    /// Asks the partner to cancel a booking the ride does not need, and remembers it as dead so it is
    /// never taken back. Keyed by partner and booking id, so asking twice is harmless.
    /// </summary>
    public async Task ScheduleCancelAsync(string partner, string bookingId, string rideId, CancellationToken ct)
    {
        await rides.MarkDeadAsync(partner, bookingId, rideId, ct);
        var scheduler = await schedulers.GetScheduler(ct);
        var job = JobBuilder.Create<CancelBookingJob>()
            .WithIdentity($"{partner}:{bookingId}", "cancel-booking")
            .UsingJobData(CancelBookingJob.PartnerKey, partner)
            .UsingJobData(CancelBookingJob.BookingIdKey, bookingId)
            .UsingJobData(CancelBookingJob.RideIdKey, rideId)
            .UsingJobData(CancelBookingJob.SinceKey, DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture))
            .RequestRecovery()
            .Build();
        var trigger = TriggerBuilder.Create().WithIdentity($"{partner}:{bookingId}", "cancel-booking").StartNow()
            .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow)).Build();
        try
        {
            await scheduler.ScheduleJob(job, trigger, default, ct);
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
    public static async Task<bool> RunAgainAsync(IJobExecutionContext context, TimeSpan delay, int attempt, CancellationToken ct)
    {
        if (context.Scheduler.Status is not SchedulerStatus.Running || ct.IsCancellationRequested) return false;
        var next = TriggerBuilder.Create()
            .WithIdentity(context.Trigger.Key)
            .ForJob(context.JobDetail)
            .UsingJobData(AttemptKey, attempt.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .StartAt(DateTimeOffset.UtcNow + delay)
            .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .Build();
        await context.Scheduler.RescheduleJob(context.Trigger.Key, next, ct);
        return true;
    }

    private static IJobDetail Job(string rideId) => JobBuilder.Create<BookRideJob>()
        .WithIdentity(JobFor(rideId))
        .UsingJobData(BookRideJob.RideIdKey, rideId)
        // Run again after a crash mid-booking; the partner's idempotency key makes that safe.
        .RequestRecovery()
        .Build();

    private static ITrigger Trigger(string rideId) => TriggerBuilder.Create()
        .WithIdentity(rideId, Group)
        .StartNow()
        .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
        .Build();
}

/// <summary>
/// Schedules the booking sweep when the service starts: right away (a crash or a power cut could
/// have come between writing a ride and scheduling its job) and then every few seconds, so a ride
/// whose job was lost for any reason is picked up again long before its hand-over deadline.
/// </summary>
internal sealed class BookingRecovery(ISchedulerFactory schedulers) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var job = JobBuilder.Create<BookingSweepJob>().WithIdentity("booking-sweep").Build();
        var trigger = TriggerBuilder.Create().WithIdentity("booking-sweep").StartNow()
            .WithSimpleSchedule(s => s.WithInterval(BookingSweepJob.Interval).RepeatForever()).Build();
        await scheduler.ScheduleJob(job, trigger, new ScheduleJobOptions { Replace = true }, ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}

using Alice.Dispatch.Rides;
using Quartz;

namespace Alice.Dispatch.Partners;

/// <summary>
/// Puts a ride's booking into the durable job store. One job per ride, keyed by the ride id, so
/// scheduling twice is harmless and a job survives a restart of the process.
/// </summary>
internal sealed class BookingScheduler(ISchedulerFactory schedulers)
{
    public static JobKey JobFor(string rideId) => new(rideId, "book-ride");

    public async Task EnsureScheduledAsync(string rideId, CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var job = JobBuilder.Create<BookRideJob>()
            .WithIdentity(JobFor(rideId))
            .UsingJobData(BookRideJob.RideIdKey, rideId)
            // Run again after a crash mid-booking; the partner's idempotency key makes that safe.
            .RequestRecovery()
            .Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity(rideId, "book-ride")
            .StartNow()
            .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .Build();
        try
        {
            await scheduler.ScheduleJob(job, trigger, default, ct);
        }
        catch (ObjectAlreadyExistsException)
        {
            // Already scheduled by an earlier attempt of the same request: nothing to do.
        }
    }

    /// <summary>Runs the job again after a delay, keeping its identity (used between failed runs).</summary>
    public static async Task RetryLaterAsync(IJobExecutionContext context, TimeSpan delay, int attempt, CancellationToken ct)
    {
        var next = TriggerBuilder.Create()
            .WithIdentity(context.Trigger.Key)
            .ForJob(context.JobDetail)
            .UsingJobData(BookRideJob.AttemptKey, attempt)
            .StartAt(DateTimeOffset.UtcNow + delay)
            .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .Build();
        await context.Scheduler.RescheduleJob(context.Trigger.Key, next, ct);
    }
}

/// <summary>At start, gives every ride still waiting for a partner its booking job (a crash could have come between the two writes).</summary>
internal sealed class BookingRecovery(RideStore rides, BookingScheduler scheduler, ILogger<BookingRecovery> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        var waiting = await rides.IdsWithStatusAsync(RideStatus.Requested, ct);
        foreach (var id in waiting) await scheduler.EnsureScheduledAsync(id, ct);
        if (waiting.Count > 0) logger.LogInformation("Checked the booking jobs of {Count} rides waiting for a partner", waiting.Count);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}

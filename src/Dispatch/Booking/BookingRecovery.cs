using Quartz;

namespace Alice.Dispatch.Booking;

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
        var job = JobBuilder.Create<BookingSweepJob>().WithIdentity(BookingSweepJob.Key).Build();
        var trigger = TriggerBuilder.Create().WithIdentity(BookingSweepJob.Key.Name).ForJob(job).StartNow()
            .WithSimpleSchedule(s => s.WithInterval(BookingSweepJob.Interval).RepeatForever()).Build();
        await scheduler.ScheduleJob(job, trigger, new ScheduleJobOptions { Replace = true }, ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}

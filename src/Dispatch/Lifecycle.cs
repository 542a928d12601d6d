using Alice.Dispatch.Booking;
using Alice.Dispatch.Centre;
using Alice.Dispatch.Storage;

namespace Alice.Dispatch;

/// <summary>
/// The one place that says in which order the service's parts start and stop, so that no order hangs
/// on the order of registration. Start: the schema (the job store lives in the database), the job
/// scheduler, the booking queue (it gives rides that need a second try to the scheduler), then the recurring jobs, stored together (the recovery sweep, the safety
/// net's, the police delivery job, the retention jobs, the car message job, the totals' publication), and the flood alarm. Stop in
/// reverse: the queue lets its first tries end while the scheduler still runs, and the scheduler lets running
/// bookings finish.
/// </summary>
internal sealed class Lifecycle(IServiceProvider services) : IHostedService
{
    /// <summary>The parts started so far, in order: a stop stops these, last first.</summary>
    private readonly List<IHostedService> _started = [];

    /// <summary>
    /// Built at the start, not with this service: a part's dependencies read their options as they are built,
    /// and the host checks every option (naming every wrong setting in one message) only after it has built
    /// its hosted services.
    /// </summary>
    private IEnumerable<IHostedService> Parts()
    {
        yield return services.GetRequiredService<StorageExtensions.SchemaOnStart>();
        yield return services.GetRequiredService<JobScheduler>();
        yield return services.GetRequiredService<BookingQueue>();
        yield return new RecurringJobs(services.GetRequiredService<Quartz.ISchedulerFactory>(),
        [
            services.GetRequiredService<BookingRecovery>(),
            services.GetRequiredService<SafetyNet>(),
            services.GetRequiredService<Police.PoliceDelivery>(),
            services.GetRequiredService<Retention.RetentionSchedule>(),
            services.GetRequiredService<Messages.CarMessages>(),
            services.GetRequiredService<Texting.ConversationSweeps>(),
            services.GetRequiredService<Totals.TotalsPublication>(),
        ]);
        yield return services.GetRequiredService<Abuse.FloodAlarm>();
    }

    public async Task StartAsync(CancellationToken ct)
    {
        foreach (var part in Parts())
        {
            await part.StartAsync(ct);
            _started.Add(part);
        }
    }

    public async Task StopAsync(CancellationToken ct)
    {
        for (var i = _started.Count - 1; i >= 0; i--) await _started[i].StopAsync(ct);
    }
}

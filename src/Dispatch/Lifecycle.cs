using Alice.Dispatch.Booking;
using Alice.Dispatch.Centre;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Storage;

namespace Alice.Dispatch;

/// <summary>
/// The one place that says in which order the service's parts start and stop, so that no order hangs
/// on the order of registration. Start: the schema (the job store lives in the database), the ride
/// writer (callers can be answered), the job scheduler, the booking queue (it hands rides to the
/// scheduler), then the recurring jobs, stored together (the recovery sweep, the safety net's, the police
/// delivery job, the retention jobs, the car message job), and the flood alarm. Stop in reverse: the queue
/// hands what it holds to the scheduler while the scheduler still runs, the scheduler lets running
/// bookings finish, and the ride writer writes the rides callers are still waiting for.
/// </summary>
internal sealed class Lifecycle(IServiceProvider services) : IHostedService
{
    private readonly IReadOnlyList<IHostedService> _parts =
    [
        services.GetRequiredService<StorageExtensions.SchemaOnStart>(),
        services.GetRequiredService<RideWriter>(),
        services.GetRequiredService<JobScheduler>(),
        services.GetRequiredService<BookingQueue>(),
        new RecurringJobs(services.GetRequiredService<Quartz.ISchedulerFactory>(),
        [
            services.GetRequiredService<BookingRecovery>(),
            services.GetRequiredService<SafetyNet>(),
            services.GetRequiredService<Police.PoliceDelivery>(),
            services.GetRequiredService<Retention.RetentionSchedule>(),
            services.GetRequiredService<Messages.CarMessages>(),
        ]),
        services.GetRequiredService<Abuse.FloodAlarm>(),
    ];

    public async Task StartAsync(CancellationToken ct)
    {
        foreach (var part in _parts) await part.StartAsync(ct);
    }

    public async Task StopAsync(CancellationToken ct)
    {
        foreach (var part in _parts.Reverse()) await part.StopAsync(ct);
    }
}

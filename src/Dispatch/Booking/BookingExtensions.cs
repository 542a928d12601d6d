using Alice.Dispatch.Partners;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Storage;
using Quartz;

namespace Alice.Dispatch.Booking;

internal static class BookingExtensions
{
    /// <summary>
    /// Getting every ride booked: the desk the hotline books at, the booking queue and durable jobs
    /// (Quartz, on the service's own database), the booking run, and partner events applied to rides.
    /// </summary>
    public static IServiceCollection AddBooking(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<BookingDesk>();
        services.AddSingleton<BookingScheduler>();
        services.AddSingleton<BookingRun>();
        services.AddSingleton<RideTransitions>();
        services.AddSingleton<IPartnerEvents, PartnerEventHandler>();
        services.AddSingleton<BookingQueue>();
        services.AddSingleton<BookingRecovery>();
        services.AddSingleton<JobScheduler>();
        services.AddHealthChecks().AddCheck<JobScheduler>("job-scheduler", tags: [Readiness.Tag]);

        var provider = DatabaseOptions.From(configuration).Provider;
        services.AddQuartz(quartz =>
        {
            // Ten job threads (Quartz's default, said out loud): a booking job mostly waits on the partner's
            // answer, and with four, new bookings queued behind running ones (key press to partner: p50
            // 184 ms with four threads, 11 ms with ten, at four concurrent callers).
            quartz.UseDefaultThreadPool(maxConcurrency: 10);
            quartz.UsePersistentStore(store =>
            {
                Database.ConfigureJobStore(store, provider);
                store.UseSystemTextJsonSerializer();
                store.ProvisionSchema();
                store.ConfigureStore(o =>
                {
                    // Job data as strings only: readable, and no serialised objects in the store.
                    o.StoreJobDataAsStrings = true;
                    // After a database outage, jobs run again within two seconds of its return, not Quartz's 15:
                    // the rides booked meanwhile are waiting for theirs.
                    o.DbRetryInterval = TimeSpan.FromSeconds(2);
                });
            });
        });
        return services;
    }
}

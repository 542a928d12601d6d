using Alice.Dispatch.Storage;
using Quartz;

namespace Alice.Dispatch.Partners;

internal static class PartnersExtensions
{
    public static IServiceCollection AddPartners(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<PartnerOptions, PartnerOptions.Validator>(configuration, PartnerOptions.Section);
        services.AddHttpClient(PartnerClient.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan); // the pipeline times each attempt
        services.AddSingleton<PartnerClient>();
        services.AddSingleton<BookingScheduler>();
        services.AddSingleton<BookingRun>();
        services.AddSingleton<PartnerEvents>();

        services.AddQuartz(quartz =>
        {
            // Ten job threads (Quartz's default, said out loud): a booking job mostly waits on the partner's
            // answer, and with four, new bookings queued behind running ones (key press to partner: p50
            // 184 ms with four threads, 11 ms with ten, at four concurrent callers).
            quartz.UseDefaultThreadPool(maxConcurrency: 10);
            quartz.UsePersistentStore(store =>
            {
                // The same SQLite file as the rides: one file to back up, and a ride and its job live or die together.
                store.UseSqlite(source => source.DataSourceFactory = provider => provider.GetRequiredService<Database>().Recoverable);
                store.UseSystemTextJsonSerializer();
                store.ProvisionSchema();
                // Job data as strings only: readable, and no serialised objects in the store.
                store.ConfigureStore(o => o.StoreJobDataAsStrings = true);
            });
        });
        services.AddQuartzHostedService(q => q.WaitForJobsToComplete = true);
        services.AddHostedService<BookingRecovery>();
        // Registered after the job scheduler, so it stops first: what it holds is scheduled before the scheduler stops.
        services.AddSingleton<BookingQueue>();
        services.AddHostedService(provider => provider.GetRequiredService<BookingQueue>());
        return services;
    }
}

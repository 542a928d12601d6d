using Alice.Dispatch.Storage;
using Microsoft.Extensions.Options;
using Quartz;

namespace Alice.Dispatch.Partners;

internal static class PartnersExtensions
{
    public static IServiceCollection AddPartners(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PartnerOptions>().Bind(configuration.GetSection(PartnerOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PartnerOptions>, PartnerOptions.Validator>();
        services.AddHttpClient(PartnerClient.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan); // the pipeline times each attempt
        services.AddSingleton<PartnerClient>();
        services.AddSingleton<BookingScheduler>();
        services.AddSingleton<PartnerEvents>();

        services.AddQuartz(quartz =>
        {
            // Few job threads: booking jobs wait on the partner's HTTP answer, not on CPU, and a burst of
            // them must not take the cores from callers waiting to hear their code.
            quartz.UseDefaultThreadPool(maxConcurrency: 4);
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
        return services;
    }
}

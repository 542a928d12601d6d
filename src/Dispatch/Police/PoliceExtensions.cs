namespace Alice.Dispatch.Police;

internal static class PoliceExtensions
{
    /// <summary>Police requests and their delivery to the campus's zone; reached only from the centre console.</summary>
    public static IServiceCollection AddPolice(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<PoliceOptions, PoliceOptions.Validator>(configuration, PoliceOptions.Section);
        services.AddHttpClient(PoliceNotifier.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<PoliceRequests>();
        services.AddSingleton<PoliceNotifier>();
        services.AddSingleton<PoliceDelivery>();
        return services;
    }
}

namespace Alice.Dispatch.Retention;

internal static class RetentionExtensions
{
    /// <summary>What makes nothing about a caller outlive its use: the call's end, Twilio's record deleted, rides deleted on time.</summary>
    public static IServiceCollection AddRetention(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<RetentionOptions, RetentionOptions.Validator>(configuration, RetentionOptions.Section);
        services.AddSingleton<CallEnd>();
        services.AddSingleton<TwilioRecords>();
        services.AddSingleton<RetentionSweep>();
        services.AddSingleton<RetentionSchedule>();
        return services;
    }
}

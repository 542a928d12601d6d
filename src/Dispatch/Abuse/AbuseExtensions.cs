using System.Security.Cryptography;

namespace Alice.Dispatch.Abuse;

internal static class AbuseExtensions
{
    /// <summary>The booking limits against pranks and autodialers, and the alarm a flood raises.</summary>
    public static IServiceCollection AddAbuse(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<AbuseOptions, AbuseOptions.Validator>(configuration, AbuseOptions.Section);
        services.AddSingleton(provider => new CallerKey(provider.GetRequiredService<TimeProvider>(), RandomNumberGenerator.Create()));
        services.AddSingleton<FloodAlarm>();
        services.AddSingleton<BookingLimits>();
        return services;
    }
}

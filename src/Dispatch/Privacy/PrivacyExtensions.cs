
namespace Alice.Dispatch.Privacy;

internal static class PrivacyExtensions
{
    public static IServiceCollection AddPrivacy(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<PrivacyOptions, PrivacyOptions.Validator>(configuration, PrivacyOptions.Section);
        services.AddSingleton<CallKeys>();
        return services;
    }
}

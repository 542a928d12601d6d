using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Privacy;

internal static class PrivacyExtensions
{
    public static IServiceCollection AddPrivacy(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PrivacyOptions>().Bind(configuration.GetSection(PrivacyOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PrivacyOptions>, PrivacyOptions.Validator>();
        services.AddSingleton<CallKeys>();
        return services;
    }
}

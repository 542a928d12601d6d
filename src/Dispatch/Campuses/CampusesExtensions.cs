using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Campuses;

internal static class CampusesExtensions
{
    public static IServiceCollection AddCampuses(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HotlineOptions>().Bind(configuration.GetSection(HotlineOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HotlineOptions>, HotlineOptions.Validator>();
        services.AddSingleton<CampusDirectory>();
        return services;
    }
}

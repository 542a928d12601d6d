
namespace Alice.Dispatch.Campuses;

internal static class CampusesExtensions
{
    public static IServiceCollection AddCampuses(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<HotlineOptions, HotlineOptions.Validator>(configuration, HotlineOptions.Section);
        services.AddSingleton<CampusDirectory>();
        return services;
    }
}

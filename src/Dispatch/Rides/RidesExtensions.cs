using Alice.Dispatch.Totals;

namespace Alice.Dispatch.Rides;

internal static class RidesExtensions
{
    /// <summary>
    /// The rides table and its one writer of new rides (started in the service's start order, see <see cref="Lifecycle"/>),
    /// and the organisers' totals, which rides and the areas acting on them add to.
    /// </summary>
    public static IServiceCollection AddRides(this IServiceCollection services)
    {
        services.AddSingleton<WeeklyTotals>();
        services.AddSingleton<FreeCodes>();
        services.AddSingleton<RideStore>();
        services.AddSingleton<RideWriter>();
        return services;
    }
}

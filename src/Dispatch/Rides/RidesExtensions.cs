using Alice.Dispatch.Totals;

namespace Alice.Dispatch.Rides;

internal static class RidesExtensions
{
    /// <summary>
    /// The rides table (each new ride written in the transaction of the request that asks for it),
    /// and the organisers' totals, which rides and the areas acting on them add to.
    /// </summary>
    public static IServiceCollection AddRides(this IServiceCollection services)
    {
        services.AddSingleton<WeeklyTotals>();
        services.AddSingleton<RideStore>();
        return services;
    }
}

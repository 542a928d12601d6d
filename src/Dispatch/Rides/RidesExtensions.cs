namespace Alice.Dispatch.Rides;

internal static class RidesExtensions
{
    /// <summary>
    /// The rides table, by the questions asked of it: the ride (written in the transaction of the request that
    /// asks for it, found, moved along its lifecycle), the centre's board, retention, the calls that have ended.
    /// </summary>
    public static IServiceCollection AddRides(this IServiceCollection services)
    {
        services.AddSingleton<RideStore>();
        services.AddSingleton<RideMoves>();
        services.AddSingleton<RideBoard>();
        services.AddSingleton<RideRetention>();
        services.AddSingleton<EndedCalls>();
        return services;
    }
}

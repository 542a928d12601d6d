namespace Alice.Dispatch.Rides;

internal static class RidesExtensions
{
    /// <summary>The rides table and its one writer of new rides (started in the service's start order, see <see cref="Lifecycle"/>).</summary>
    public static IServiceCollection AddRides(this IServiceCollection services)
    {
        services.AddSingleton<RideStore>();
        services.AddSingleton<RideWriter>();
        return services;
    }
}

namespace Alice.Dispatch.Rides;

internal static class RidesExtensions
{
    /// <summary>The rides table (each new ride written in the transaction of the request that asks for it).</summary>
    public static IServiceCollection AddRides(this IServiceCollection services)
    {
        services.AddSingleton<RideStore>();
        return services;
    }
}

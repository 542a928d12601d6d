namespace Alice.Dispatch.Rides;

internal static class RidesExtensions
{
    public static IServiceCollection AddRides(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<RideStore>();
        services.AddSingleton<RideWriter>();
        services.AddHostedService(provider => provider.GetRequiredService<RideWriter>());
        services.AddSingleton<RideBooking>();
        return services;
    }
}

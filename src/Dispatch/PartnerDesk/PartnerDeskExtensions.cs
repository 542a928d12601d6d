namespace Alice.Dispatch.PartnerDesk;

internal static class PartnerDeskExtensions
{
    /// <summary>The page a console partner's dispatchers run their bookings on.</summary>
    public static IServiceCollection AddPartnerDesk(this IServiceCollection services)
    {
        services.AddSingleton<PartnerBookings>();
        services.AddScoped<PartnerDeskEndpoints.Desk>();
        return services;
    }
}

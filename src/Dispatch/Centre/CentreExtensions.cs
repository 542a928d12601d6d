namespace Alice.Dispatch.Centre;

internal static class CentreExtensions
{
    /// <summary>The centre's alerts, its console's board and the actions taken from it.</summary>
    public static IServiceCollection AddCentre(this IServiceCollection services)
    {
        services.AddSingleton<AlertStore>();
        services.AddSingleton<Board>();
        services.AddSingleton<CentreDesk>();
        return services;
    }
}

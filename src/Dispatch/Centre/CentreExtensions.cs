namespace Alice.Dispatch.Centre;

internal static class CentreExtensions
{
    /// <summary>The centre's alerts (the console that shows them comes with its own issue).</summary>
    public static IServiceCollection AddCentre(this IServiceCollection services)
    {
        services.AddSingleton<AlertStore>();
        return services;
    }
}

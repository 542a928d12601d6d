namespace Alice.Dispatch.Totals;

internal static class TotalsExtensions
{
    /// <summary>
    /// The organisers' totals: counted in the transaction of each event (<see cref="WeeklyTotals"/>, used by
    /// the areas whose events are counted), and published each week, frozen (nothing live reaches the panel).
    /// </summary>
    public static IServiceCollection AddTotals(this IServiceCollection services)
    {
        services.AddSingleton<WeeklyTotals>();
        services.AddSingleton<TotalsPublisher>();
        services.AddSingleton<TotalsPublication>();
        return services;
    }
}

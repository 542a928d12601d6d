using Alice.Accounts;

namespace Alice.Dispatch.Centre;

internal static class CentreExtensions
{
    /// <summary>The centre's alerts, its console (board and actions), and the safety net that reaches a person outside it.</summary>
    public static IServiceCollection AddCentre(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<CentreOptions, CentreOptions.Validator>(configuration, CentreOptions.Section);
        services.AddSingleton<AlertStore>();
        services.AddSingleton<Board>();
        services.AddSingleton<CentreDesk>();
        services.AddSingleton<OnCallPhone>();
        services.AddSingleton<IAccountChanges, AccountChangeAnnouncer>(); // in place of the accounts' silent default
        services.AddSingleton<AlertNotifier>();
        services.AddSingleton<PickupWatchdog>();
        services.AddSingleton<SafetyNet>();
        return services;
    }
}

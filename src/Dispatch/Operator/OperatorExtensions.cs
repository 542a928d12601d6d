using Alice.Dispatch.Twilio;

namespace Alice.Dispatch.Operator;

internal static class OperatorExtensions
{
    /// <summary>
    /// The operator woken by e-mail (when Operator:Smtp is set), once per outage: the signals the partners' failure log
    /// and the Twilio client give, the shared store of conditions, the sender and the watch of each instance.
    /// </summary>
    public static IServiceCollection AddOperatorAlerts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<OperatorOptions, OperatorOptions.Validator>(configuration, OperatorOptions.Section);
        services.AddSingleton<OperatorSignals>();
        services.AddSingleton<OperatorAlertStore>();
        services.AddSingleton<OperatorMail>();
        services.AddTransient<TwilioWatch>();
        // Into the Twilio client's own pipeline (a typed client is named after its type): its failures are counted even without e-mail.
        services.AddHttpClient(nameof(TwilioRest)).AddHttpMessageHandler<TwilioWatch>();
        services.AddHostedService<OperatorWatch>();
        return services;
    }
}

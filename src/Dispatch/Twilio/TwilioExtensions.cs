using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Twilio;

internal static class TwilioExtensions
{
    /// <summary>
    /// The Twilio account, registered once for every area that uses it: the hotline's webhooks (Telephony),
    /// the on-call phone (Centre), a console partner's dispatch phone (Partners), the car by text (Messages) and
    /// the deletion of Twilio's records (Retention); the voices every call is spoken in.
    /// </summary>
    public static IServiceCollection AddTwilio(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<TwilioOptions, TwilioOptions.Validator>(configuration, TwilioOptions.Section);
        services.AddSingleton<Voices>();
        // No request logging: a call record's deletion names its CallSid in the URL.
        services.AddHttpClient<TwilioRest>(http => http.Timeout = TimeSpan.FromSeconds(10))
            .AddHttpMessageHandler(services => new TwilioApiAddress(services.GetRequiredService<IOptions<TwilioOptions>>()))
            .RemoveAllLoggers();
        return services;
    }
}

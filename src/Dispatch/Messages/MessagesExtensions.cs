namespace Alice.Dispatch.Messages;

internal static class MessagesExtensions
{
    /// <summary>
    /// The car by text message, for callers who ask for it after the code: their consents (the number,
    /// encrypted) and the job that texts and erases. Twilio's REST client is the one the safety net registers.
    /// </summary>
    public static IServiceCollection AddMessages(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<MessagesOptions, MessagesOptions.Validator>(configuration, MessagesOptions.Section);
        services.AddSingleton<SmsConsents>();
        services.AddSingleton<CarMessenger>();
        services.AddSingleton<CarMessages>();
        return services;
    }
}

using Alice.Dispatch.Messages;

namespace Alice.Dispatch.Telephony;

internal static class TelephonyEndpoints
{
    public const string Prefix = "/twilio";

    public static IServiceCollection AddTelephony(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<TwilioOptions, TwilioOptions.Validator>(configuration, TwilioOptions.Section);
        services.AddSingleton<MenuUrls>();
        services.AddSingleton<Voices>();
        services.AddSingleton<VoiceMenu>();
        return services;
    }

    /// <summary>
    /// /twilio/voice (the number's voice URL), /twilio/status (its status callback) and /twilio/fallback
    /// (its fallback URL) are fixed; the other paths are the menu's own action URLs.
    /// </summary>
    public static IEndpointRouteBuilder MapTelephonyEndpoints(this IEndpointRouteBuilder app)
    {
        var twilio = app.MapGroup(Prefix).AddEndpointFilter<TwilioWebhookFilter>().DisableAntiforgery();
        twilio.MapPost("/voice", (HttpContext http, VoiceMenu menu) => menu.Greeting(TwilioCall.Of(http)));
        twilio.MapPost("/language", (HttpContext http, VoiceMenu menu) => menu.ChooseLanguage(TwilioCall.Of(http)));
        twilio.MapPost("/menu", (HttpContext http, VoiceMenu menu) => menu.Menu(TwilioCall.Of(http)));
        twilio.MapPost("/pickup", (HttpContext http, VoiceMenu menu) => menu.Pickup(TwilioCall.Of(http)));
        twilio.MapPost("/code", (HttpContext http, VoiceMenu menu, SmsConsents textConsents, CancellationToken ct) => menu.RepeatCode(TwilioCall.Of(http), textConsents, ct));
        twilio.MapPost("/wait", (HttpContext http, VoiceMenu menu, CancellationToken ct) => menu.Wait(TwilioCall.Of(http), ct));
        twilio.MapPost("/dial-ended", (HttpContext http, VoiceMenu menu) => menu.DialEnded(TwilioCall.Of(http)));
        twilio.MapPost("/fallback", (HttpContext http, VoiceMenu menu) => menu.Fallback(TwilioCall.Of(http)));
        twilio.MapPost("/status", (HttpContext http, VoiceMenu menu, CancellationToken ct) => menu.CallEnded(TwilioCall.Of(http), ct));
        return app;
    }
}

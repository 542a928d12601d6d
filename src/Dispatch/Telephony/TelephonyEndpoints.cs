using Alice.Dispatch.Messages;
using Alice.Dispatch.Telemetry;

namespace Alice.Dispatch.Telephony;

internal static class TelephonyEndpoints
{
    public const string Prefix = "/twilio";

    public static IServiceCollection AddTelephony(this IServiceCollection services)
    {
        services.AddSingleton<MenuUrls>();
        services.AddSingleton<VoiceMenu>();
        return services;
    }

    /// <summary>
    /// /twilio/voice (the number's voice URL), /twilio/status (its status callback) and /twilio/fallback
    /// (its fallback URL) are fixed; the other paths are the menu's own action URLs, and the hold tone the
    /// wait plays. Every step answers in time (<see cref="AnswerInTime"/>): a caller's with a bridge to a
    /// person if it cannot.
    /// </summary>
    public static IEndpointRouteBuilder MapTelephonyEndpoints(this IEndpointRouteBuilder app)
    {
        var twilio = app.MapGroup(Prefix).AddEndpointFilter<WebhookTiming>().AddEndpointFilter<TwilioWebhookFilter>().DisableAntiforgery();
        IResult Fallback(HttpContext http) => http.RequestServices.GetRequiredService<VoiceMenu>().Fallback(TwilioCall.Of(http));
        // The menu's own steps write TwiML from the configuration; the ride's steps read or write the database.
        var menuSteps = twilio.MapGroup("").AddEndpointFilter(new AnswerInTime(Fallback, mayBlock: false));
        menuSteps.MapPost("/voice", (HttpContext http, VoiceMenu menu) => menu.Greeting(TwilioCall.Of(http)));
        menuSteps.MapPost("/language", (HttpContext http, VoiceMenu menu) => menu.ChooseLanguage(TwilioCall.Of(http)));
        menuSteps.MapPost("/menu", (HttpContext http, VoiceMenu menu) => menu.Menu(TwilioCall.Of(http)));
        menuSteps.MapPost("/dial-ended", (HttpContext http, VoiceMenu menu) => menu.DialEnded(TwilioCall.Of(http)));
        menuSteps.MapPost("/fallback", (HttpContext http, VoiceMenu menu) => menu.Fallback(TwilioCall.Of(http)));
        var rideSteps = twilio.MapGroup("").AddEndpointFilter(new AnswerInTime(Fallback, mayBlock: true));
        rideSteps.MapPost("/pickup", (HttpContext http, VoiceMenu menu) => menu.Pickup(TwilioCall.Of(http), AnswerInTime.For(http)));
        rideSteps.MapPost("/code", (HttpContext http, VoiceMenu menu, SmsConsents textConsents, CancellationToken ct) => menu.RepeatCode(TwilioCall.Of(http), textConsents, ct));
        rideSteps.MapPost("/wait", (HttpContext http, VoiceMenu menu, CancellationToken ct) => menu.Wait(TwilioCall.Of(http), ct));
        twilio.MapGroup("").AddEndpointFilter(new AnswerInTime(_ => VoiceMenu.CallEndNotRecorded(), mayBlock: true))
            .MapPost("/status", (HttpContext http, VoiceMenu menu, CancellationToken ct) => menu.CallEnded(TwilioCall.Of(http), ct));
        // Outside the signed group: Twilio fetches what <Play> names with a plain, unsigned GET. The same bytes
        // for every call, so nothing is revealed, and Twilio may keep them a day.
        app.MapGet(Prefix + HoldTone.Path, (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=86400";
            return TypedResults.Bytes(HoldTone.Wav, "audio/wav");
        });
        return app;
    }
}

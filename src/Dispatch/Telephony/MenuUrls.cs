using Alice.Dispatch.Campuses;
using Alice.Dispatch.Twilio;
using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Telephony;

/// <summary>
/// The menu's action URLs. The menu keeps no state on the server: the language and the attempt
/// travel in these URLs, which Twilio signs with the rest of each request.
/// </summary>
internal sealed class MenuUrls(IOptions<TwilioOptions> options)
{
    private string Base => options.Value.BaseUrl + TelephonyEndpoints.Prefix;

    public string Language() => $"{Base}/language";
    public string Menu(Language language, int attempt) => $"{Base}/menu?lang={language.Code}&try={attempt}";
    public string Pickup(Language language, int attempt) => $"{Base}/pickup?lang={language.Code}&try={attempt}";
    public string Code(Language language) => $"{Base}/code?lang={language.Code}";
    public string Wait(Language language, int round) => $"{Base}/wait?lang={language.Code}&n={round}";
    public string HoldTone() => $"{Base}{Telephony.HoldTone.Path}";
    public string DialEnded(Language language, int attempt) => $"{Base}/dial-ended?lang={language.Code}&try={attempt}";
}

using Alice.Dispatch.Campuses;
using Alice.Dispatch.Twilio;
using Microsoft.Extensions.Options;
using TwilioSay = Twilio.TwiML.Voice.Say;

namespace Alice.Dispatch.Telephony;

/// <summary>The voice each language of the menu is spoken in (<c>Twilio:Voices</c>, checked at start-up against <see cref="SpeakingVoices"/>).</summary>
internal sealed class Voices(IOptions<TwilioOptions> options)
{
    /// <summary>Every sentence names both its language and a voice that speaks it.</summary>
    public TwilioSay Say(Language language, string text) => new(text, voice: options.Value.Voices[language.Code], language: Locale(language));

    /// <summary>The menu's locales as Twilio's library names them: Belgian French and Dutch, British English.</summary>
    private static TwilioSay.LanguageEnum Locale(Language language) => language.Code switch
    {
        "fr" => TwilioSay.LanguageEnum.FrBe,
        "nl" => TwilioSay.LanguageEnum.NlBe,
        "en" => TwilioSay.LanguageEnum.EnGb,
        _ => throw new ArgumentOutOfRangeException(nameof(language), language.Code, "Not a language of the menu."),
    };
}

using Alice.Dispatch.Campuses;
using Microsoft.Extensions.Options;
using Twilio.TwiML;
using TwilioSay = Twilio.TwiML.Voice.Say;

namespace Alice.Dispatch.Twilio;

/// <summary>
/// The voice each language is spoken in (<c>Twilio:Voices</c>, checked at start-up against <see cref="SpeakingVoices"/>):
/// the menu's, and the calls the service places itself (the on-call phone, a console partner's dispatch phone).
/// </summary>
internal sealed class Voices(IOptions<TwilioOptions> options)
{
    /// <summary>Every sentence names both its language and a voice that speaks it.</summary>
    public TwilioSay Say(Language language, string text) => new(text, voice: options.Value.Voices[language.Code], language: Locale(language));

    /// <summary>
    /// A call's whole message, said twice: whoever is called may pick up half awake or mid-sentence and still hear
    /// all of it once. A second's pause between the two marks where the message starts again.
    /// </summary>
    public VoiceResponse SaidTwice(params (Language Language, string Text)[] sentences)
    {
        var twiml = new VoiceResponse();
        foreach (var (language, text) in sentences) twiml.Append(Say(language, text));
        twiml.Pause(length: 1);
        foreach (var (language, text) in sentences) twiml.Append(Say(language, text));
        return twiml;
    }

    /// <summary>The menu's locales as Twilio's library names them: Belgian French and Dutch, British English.</summary>
    private static TwilioSay.LanguageEnum Locale(Language language) => language.Code switch
    {
        "fr" => TwilioSay.LanguageEnum.FrBe,
        "nl" => TwilioSay.LanguageEnum.NlBe,
        "en" => TwilioSay.LanguageEnum.EnGb,
        _ => throw new ArgumentOutOfRangeException(nameof(language), language.Code, "Not a language of the menu."),
    };
}

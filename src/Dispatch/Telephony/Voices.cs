using Alice.Dispatch.Campuses;
using Alice.Dispatch.Twilio;
using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Telephony;

/// <summary>The voice each language of the menu is spoken in (<c>Twilio:Voices</c>, checked at start-up against <see cref="SpeakingVoices"/>).</summary>
internal sealed class Voices(IOptions<TwilioOptions> options)
{
    public string For(Language language) => options.Value.Voices[language.Code];
}

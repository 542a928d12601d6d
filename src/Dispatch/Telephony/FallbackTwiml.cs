using Alice.Dispatch.Campuses;
using Alice.Dispatch.Twilio;
using Twilio.TwiML;

namespace Alice.Dispatch.Telephony;

/// <summary>
/// What each campus number's fallback URL must answer when this service cannot (it is down, or Twilio
/// got no answer in 15 s): a static TwiML document, kept by Twilio (a TwiML Bin), that says in the three
/// languages that a person is being reached and dials the campus's human line with the hotline as caller
/// ID. Printed from the configuration (<c>dotnet Alice.Dispatch.dll fallback-twiml</c>) so it cannot drift
/// from the numbers the service itself bridges to.
/// </summary>
internal static class FallbackTwiml
{
    /// <summary>One document per campus, after a line naming the campus and the number whose fallback it is.</summary>
    public static void Print(CampusDirectory campuses, Voices voices, TextWriter output)
    {
        foreach (var campus in campuses.Hotline.Campuses)
        {
            output.WriteLine($"# {campus.Id}: the TwiML Bin for the fallback URL of {campus.HotlineNumber}");
            output.WriteLine(For(campus, voices));
            output.WriteLine();
        }
    }

    /// <summary>
    /// No action on the dial: the service may be what failed. Twilio ends the call after the conversation,
    /// or if nobody answers within the dial's timeout.
    /// </summary>
    public static string For(HotlineOptions.Campus campus, Voices voices)
    {
        var twiml = new VoiceResponse();
        foreach (var language in Languages.All) twiml.Append(voices.Say(language, Prompts.Connecting.In(language.Code)));
        return twiml.Append(Twiml.Bridge(campus.HotlineNumber, campus.HumanNumber, action: null)).Document();
    }
}

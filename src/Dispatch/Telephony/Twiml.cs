using System.Text;
using System.Xml.Linq;
using Twilio.TwiML;
using Twilio.TwiML.Voice;
using Twilio.Types;
using TwilioMethod = Twilio.Http.HttpMethod;

namespace Alice.Dispatch.Telephony;

/// <summary>
/// The verbs the menu answers with, as Twilio's library writes them (<see cref="VoiceResponse"/>), with the
/// settings the hotline always uses: one key, webhooks posted back, a dial that hides the caller's number.
/// </summary>
internal static class Twiml
{
    /// <summary>One key press; what is said inside can be interrupted by pressing a key.</summary>
    public static Gather KeyPress(string action, int timeoutSeconds) =>
        new(input: [Gather.InputEnum.Dtmf], numDigits: 1, timeout: timeoutSeconds, action: new Uri(action), method: TwilioMethod.Post);

    public static Redirect Next(string url) => new(new Uri(url), TwilioMethod.Post);

    /// <summary>
    /// Bridges the call. The caller ID is always a hotline number, so the person reached never sees the
    /// caller's. Without an action (the fallback TwiML Bin) Twilio ends the call when the dial ends.
    /// </summary>
    public static Dial Bridge(string callerId, string number, string? action) =>
        new Dial(callerId: callerId, timeout: 30, action: action is null ? null : new Uri(action), method: action is null ? null : TwilioMethod.Post)
            .Number(new PhoneNumber(number));

    /// <summary>
    /// The library's document on one line (it indents by default), after the declaration the service has always
    /// sent, as Twilio's documentation writes it: the library's own names the encoding in lower case.
    /// </summary>
    public static string Document(this VoiceResponse twiml) =>
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + twiml.ToXDocument().Root!.ToString(SaveOptions.DisableFormatting);

    /// <summary>text/xml, as Twilio requires (another type is its error 12300).</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.ContentHttpResult ToResult(this VoiceResponse twiml) => Result(twiml.Document());

    /// <inheritdoc cref="ToResult"/>
    public static Microsoft.AspNetCore.Http.HttpResults.ContentHttpResult Result(string document) =>
        TypedResults.Text(document, "text/xml", Encoding.UTF8);
}

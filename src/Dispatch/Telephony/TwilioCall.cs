using Alice.Dispatch.Twilio;
using Microsoft.AspNetCore.Http;

namespace Alice.Dispatch.Telephony;

/// <summary>
/// A verified Twilio webhook request, as the menu needs it. Lives only for the request: the CallSid in it
/// is never stored or logged, nor is the caller's number, unless the caller asks for the car by text
/// (then it is held encrypted, see Messages/SmsConsents).
/// </summary>
internal sealed class TwilioCall(IFormCollection form, IQueryCollection query)
{
    public string? CallSid => Value(form, "CallSid");
    /// <summary>The number that was dialled: which campus the call is for.</summary>
    public string? To => Value(form, "To");
    /// <summary>The caller's number: read only to text the car to a caller who pressed the key for it.</summary>
    public string? From => Value(form, "From");
    public string? Digits => Value(form, "Digits");
    /// <summary>A text message's words (the messaging webhook): read to answer, never stored or logged.</summary>
    public string? Body => Value(form, "Body");
    /// <summary>A text message's SID (the messaging webhook and its status callback), as the CallSid is kept: never in the clear.</summary>
    public string? MessageSid => Value(form, "MessageSid");
    public string? MessageStatus => Value(form, "MessageStatus");
    /// <summary>How the line of the person the caller was put through to ended; null when absent or not a status Twilio sends.</summary>
    public CallStatus? DialCallStatus => CallStatuses.Parse(Value(form, "DialCallStatus"));
    public CallStatus? CallStatus => CallStatuses.Parse(Value(form, "CallStatus"));

    /// <summary>Menu state carried in the (signed) action URL.</summary>
    public string? Query(string name) => Value(query, name);

    public static TwilioCall Of(HttpContext http) =>
        http.Items[typeof(TwilioCall)] as TwilioCall
        ?? throw new InvalidOperationException("A /twilio endpoint ran without the webhook filter.");

    private static string? Value(IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> values, string name) =>
        values.FirstOrDefault(kv => kv.Key == name).Value is { Count: > 0 } v && !string.IsNullOrEmpty(v[0]) ? v[0] : null;
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Twilio;

/// <summary>What Twilio keeps a record of (its log holds the caller's number), by its REST resource.</summary>
internal enum TwilioRecord { Call, Message }

internal static class TwilioResources
{
    /// <summary>The record's REST resource, <c>Calls</c> or <c>Messages</c>: in its URL, and what a deletion still to do is stored under.</summary>
    public static string Resource(this TwilioRecord record) => record == TwilioRecord.Call ? "Calls" : "Messages";

    /// <summary>The record a stored resource names; null for one no record has.</summary>
    public static TwilioRecord? Parse(string resource) =>
        Enum.GetValues<TwilioRecord>().Where(r => r.Resource() == resource).Select(r => (TwilioRecord?)r).FirstOrDefault();
}

/// <summary>Twilio answered a REST request with an error; only the status is kept, never the body.</summary>
internal sealed class TwilioRestException(string message, int status) : Exception(message)
{
    public int Status { get; } = status;

    /// <summary>Twilio will never take this message (400: a number it cannot text, one that replied STOP…): trying again cannot help.</summary>
    public bool IsRefusedForGood => Status == 400;
}

/// <summary>
/// Twilio's REST API spoken directly (its SDK is not obtainable here): HTTP Basic with the account SID and
/// auth token, form-encoded bodies, <c>POST …/Messages.json</c>, <c>POST …/Calls.json</c>, and
/// <c>DELETE …/Calls/{Sid}.json</c> or <c>…/Messages/{Sid}.json</c> for Twilio's records of them.
/// </summary>
internal sealed class TwilioRest(HttpClient http, IOptions<TwilioOptions> options)
{
    /// <summary>Sends a text message; returns the message's SID, by which Twilio's record of it is deleted later.</summary>
    public async Task<string> SendSmsAsync(string to, string from, string body, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Post, "Messages.json", [new("To", to), new("From", from), new("Body", body)], ct);
        Ensure(response, "Messages.json");
        using var answer = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
        return answer.RootElement.TryGetProperty("sid", out var sid) && sid.GetString() is { Length: > 0 } value
            ? value
            : throw new TwilioRestException("Twilio accepted a message without saying its SID.", (int)response.StatusCode);
    }

    /// <summary>Calls a number and, when it answers, says what the TwiML says.</summary>
    public async Task CallAsync(string to, string from, string twiml, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Post, "Calls.json", [new("To", to), new("From", from), new("Twiml", twiml)], ct);
        Ensure(response, "Calls.json");
    }

    /// <summary>
    /// Deletes Twilio's record of a call that has ended or a message it has delivered (its log holds the
    /// caller's number). A record Twilio
    /// no longer has (404) is as good as deleted; one it will not delete yet (a message still being
    /// delivered) fails, to be tried again.
    /// </summary>
    public async Task DeleteRecordAsync(TwilioRecord record, string sid, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Delete, $"{record.Resource()}/{Uri.EscapeDataString(sid)}.json", null, ct);
        Ensure(response, $"a {record.Resource()} record's deletion", HttpStatusCode.NotFound);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string resource, KeyValuePair<string, string>[]? form, CancellationToken ct)
    {
        var o = options.Value;
        using var request = new HttpRequestMessage(method,
            $"{o.RestBaseUrl.TrimEnd('/')}/2010-04-01/Accounts/{Uri.EscapeDataString(o.AccountSid)}/{resource}")
        {
            Content = form is null ? null : new FormUrlEncodedContent(form),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{o.AccountSid}:{o.AuthToken}")));
        return await http.SendAsync(request, ct);
    }

    /// <summary>Only the status is kept, never the body nor the resource's path (a record's path names its SID).</summary>
    private static void Ensure(HttpResponseMessage response, string what, HttpStatusCode? alsoFine = null)
    {
        if (!response.IsSuccessStatusCode && response.StatusCode != alsoFine) throw new TwilioRestException($"Twilio answered {(int)response.StatusCode} to {what}.", (int)response.StatusCode);
    }
}

using System.Xml.Linq;
using Microsoft.Extensions.Options;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Http;
using Twilio.Rest.Api.V2010.Account;
using Twilio.TwiML;
using Twilio.Types;
using HttpClient = System.Net.Http.HttpClient;

namespace Alice.Dispatch.Twilio;

/// <summary>What Twilio keeps a record of (its log holds the caller's number), by its REST resource.</summary>
internal enum TwilioRecord { Call, Message }

internal static class TwilioResources
{
    /// <summary>The record's REST resource, <c>Calls</c> or <c>Messages</c>: what a deletion still to do is stored under.</summary>
    public static string Resource(this TwilioRecord record) => record == TwilioRecord.Call ? "Calls" : "Messages";

    /// <summary>The record a stored resource names; null for one no record has.</summary>
    public static TwilioRecord? Parse(string resource) =>
        Enum.GetValues<TwilioRecord>().Where(r => r.Resource() == resource).Select(r => (TwilioRecord?)r).FirstOrDefault();
}

/// <summary>Twilio answered a REST request with an error; only the status is kept, never Twilio's message (it may quote the number).</summary>
internal sealed class TwilioRestException(string message, int status) : Exception(message)
{
    public int Status { get; } = status;

    /// <summary>Twilio will never take this message (400: a number it cannot text, one that replied STOP…): trying again cannot help.</summary>
    public bool IsRefusedForGood => Status == 400;
}

/// <summary>
/// The account's REST calls through Twilio's library (<see cref="TwilioRestClient"/> over the service's own
/// <see cref="HttpClient"/>, which reaches the simulator in development and tests). What is kept by hand is
/// what the library cannot be trusted with here: its exceptions carry Twilio's message or the request's URL
/// (a record's URL names its SID; a message may quote the number), so each is turned into one that says only
/// the status, and a record Twilio no longer has counts as deleted.
/// </summary>
internal sealed class TwilioRest(HttpClient http, IOptions<TwilioOptions> options)
{
    /// <summary>
    /// Its log level set, not left to TWILIO_LOG_LEVEL: at "debug" the library traces each request's URL
    /// (a record's SID) and headers.
    /// </summary>
    private readonly TwilioRestClient _client = new(options.Value.AccountSid, options.Value.AuthToken, httpClient: new SystemNetHttpClient(http))
    {
        LogLevel = "info",
    };

    /// <summary>Sends a text message; returns the message's SID, by which Twilio's record of it is deleted later.</summary>
    public async Task<string> SendSmsAsync(string to, string from, string body, CancellationToken ct)
    {
        var message = await Call(() => MessageResource.CreateAsync(new PhoneNumber(to), from: new PhoneNumber(from), body: body, client: _client), "Messages.json", ct);
        return message.Sid is { Length: > 0 } sid ? sid : throw new TwilioRestException("Twilio accepted a message without saying its SID.", 201);
    }

    /// <summary>Calls a number and, when it answers, says what the TwiML says (on one line: the document travels in the request).</summary>
    public Task CallAsync(string to, string from, VoiceResponse twiml, CancellationToken ct) =>
        Call(() => CallResource.CreateAsync(new PhoneNumber(to), new PhoneNumber(from), twiml: new Twiml(twiml.ToString(SaveOptions.DisableFormatting)), client: _client), "Calls.json", ct);

    /// <summary>
    /// Deletes Twilio's record of a call that has ended or a message it has delivered (its log holds the
    /// caller's number). A record Twilio no longer has (404) is as good as deleted; one it will not delete
    /// yet (a message still being delivered) fails, to be tried again.
    /// </summary>
    public async Task DeleteRecordAsync(TwilioRecord record, string sid, CancellationToken ct)
    {
        try
        {
            await Call(() => record == TwilioRecord.Call
                ? CallResource.DeleteAsync(sid, client: _client)
                : MessageResource.DeleteAsync(sid, client: _client), $"a {record.Resource()} record's deletion", ct);
        }
        catch (TwilioRestException e) when (e.Status == 404)
        {
        }
    }

    /// <summary>
    /// The library takes no cancellation token: the request is abandoned, not cancelled, when the caller
    /// stops waiting (the HttpClient's timeout still ends it). Its exceptions are replaced, never wrapped.
    /// </summary>
    private static async Task<T> Call<T>(Func<Task<T>> request, string what, CancellationToken ct)
    {
        try
        {
            return await request().WaitAsync(ct);
        }
        catch (ApiException e)
        {
            throw new TwilioRestException($"Twilio answered {e.Status} to {what}.", e.Status);
        }
        catch (ApiConnectionException e) when (e.InnerException is TaskCanceledException)
        {
            throw new TaskCanceledException($"Twilio did not answer {what} in time.");
        }
        catch (ApiConnectionException)
        {
            throw new HttpRequestException($"Twilio could not be reached for {what}.");
        }
    }
}

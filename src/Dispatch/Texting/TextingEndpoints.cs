using System.Text;
using System.Xml.Linq;
using Alice.Dispatch.Campuses;
using Alice.Dispatch.Centre;
using Alice.Dispatch.Privacy;
using Alice.Dispatch.Retention;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Storage;
using Alice.Dispatch.Telemetry;
using Alice.Dispatch.Telephony;
using Alice.Dispatch.Twilio;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Twilio.TwiML;
using TwilioMethod = Twilio.Http.HttpMethod;

namespace Alice.Dispatch.Texting;

/// <summary>
/// A taxi booked by text message, on the campus's own number: its Messaging webhook (<c>/twilio/sms</c>) and the
/// status callback of each reply (<c>/twilio/sms/sent</c>), signed and checked by the voice webhooks' filter.
/// </summary>
internal static class TextingEndpoints
{
    public const string Path = TelephonyEndpoints.Prefix + "/sms";
    public const string SentPath = Path + "/sent";

    public static IServiceCollection AddTexting(this IServiceCollection services)
    {
        services.AddSingleton<Conversations>();
        services.AddSingleton<TextConversation>();
        services.AddSingleton<IWrittenReplies, WrittenReplies>();
        services.AddSingleton<ConversationSweep>();
        services.AddSingleton<ConversationSweeps>();
        return services;
    }

    public static IEndpointRouteBuilder MapTextingEndpoints(this IEndpointRouteBuilder app)
    {
        var twilio = app.MapGroup(TelephonyEndpoints.Prefix).AddEndpointFilter<WebhookTiming>().AddEndpointFilter<TwilioWebhookFilter>().DisableAntiforgery();
        twilio.MapGroup("").AddEndpointFilter(new AnswerInTime(http => Reply(TextWords.Failed.In(Languages.French.Code), Options(http).BaseUrl + SentPath), mayBlock: true))
            .MapPost("/sms", Message);
        twilio.MapPost("/sms/sent", Sent);
        return app;
    }

    /// <summary>
    /// One message. A message is answered once: its SID, as a keyed hash, joins the ended calls' list before
    /// anything else, so a replay of the same signed request (the signature has no time in it) is refused and
    /// books, writes and sends nothing. Twilio's record of the message (it holds the number and the words) is
    /// queued for deletion in the same transaction.
    /// </summary>
    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> Message(HttpContext http, CampusDirectory campuses, TextConversation conversation,
        Database database, EndedCalls answered, CallKeys keys, TwilioRecords records, IOptions<RetentionOptions> retention, TimeProvider clock)
    {
        var message = TwilioCall.Of(http);
        if (message.MessageSid is not { } sid) return TypedResults.Problem(statusCode: 400, title: "MessageSid is required.");
        if (!PhoneNumbers.IsE164(message.From)) return TypedResults.Problem(statusCode: 400, title: "From must be an E.164 number to be answered.");
        if (campuses.ByNumber(message.To) is not { } campus) return TypedResults.Problem(statusCode: 404, title: "To is not a campus's number.");
        var body = message.Body ?? "";
        if (body.Length > MaxBodyCharacters) return TypedResults.Problem(statusCode: 413, title: $"A text message is at most {MaxBodyCharacters} characters.");

        // Not cancelled when Twilio drops the request: once the message is marked answered, it must be.
        await using (var connection = await database.OpenAsync(CancellationToken.None))
        await using (var tx = await connection.BeginTransactionAsync(CancellationToken.None))
        {
            var first = await answered.AddAsync(tx, keys.For(sid), retention.Value.EndedCallUntil(clock.GetUtcNow()), CancellationToken.None);
            if (!first.First) return TypedResults.Problem(statusCode: 409, title: "This message was answered already.");
            await records.QueueDeletionAsync(tx, TwilioRecord.Message, sid, CancellationToken.None);
            await tx.CommitAsync(CancellationToken.None);
        }
        var reply = await conversation.AnswerAsync(campus, message.From!, body, AnswerInTime.For(http), CancellationToken.None);
        return Reply(reply, Options(http).BaseUrl + SentPath);
    }

    /// <summary>
    /// Twilio reports on a reply it sent: once it is through (or has failed), its record, which holds the
    /// number and the words, is queued for deletion, as a car message's is.
    /// </summary>
    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> Sent(HttpContext http, TwilioRecords records, CancellationToken ct)
    {
        var status = TwilioCall.Of(http);
        if (status.MessageSid is not { } sid) return TypedResults.Problem(statusCode: 400, title: "MessageSid is required.");
        if (status.MessageStatus is "sent" or "delivered" or "undelivered" or "failed")
            await records.QueueDeletionAsync(TwilioRecord.Message, sid, ct);
        return Reply(null, null);
    }

    /// <summary>Twilio joins a long text into at most 10 segments; a longer body is no message Twilio delivered.</summary>
    private const int MaxBodyCharacters = 1600;

    private static TwilioOptions Options(HttpContext http) => http.RequestServices.GetRequiredService<IOptions<TwilioOptions>>().Value;

    /// <summary>
    /// TwiML as Twilio's library writes it (<see cref="MessagingResponse"/>), on one line after the declaration, as text/xml:
    /// one message, whose status Twilio reports so its record can be deleted; or nothing.
    /// </summary>
    private static ContentHttpResult Reply(string? text, string? sent)
    {
        var twiml = new MessagingResponse();
        if (text is not null) twiml.Message(text, action: sent is null ? null : new Uri(sent), method: sent is null ? null : TwilioMethod.Post);
        return TypedResults.Text("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + twiml.ToXDocument().Root!.ToString(SaveOptions.DisableFormatting), "text/xml", Encoding.UTF8);
    }
}

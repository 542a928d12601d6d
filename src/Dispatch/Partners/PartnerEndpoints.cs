using System.Text.Json;
using Alice.Signatures;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Partners;

internal static class PartnerEndpoints
{
    private const int MaxBodyBytes = 64 * 1024;
    private static readonly TimeSpan ReplayWindow = TimeSpan.FromMinutes(5);

    /// <summary>What the refusal log says was refused: the kind of endpoint, never the partner named in the path.</summary>
    private const string Endpoints = "/partners/*/events";

    /// <summary>
    /// The secret an unknown partner's signature is checked against, so that its refusal takes as long as a
    /// known partner's bad signature. Random per process: no signature can match it.
    /// </summary>
    private static readonly string NoPartnerSecret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// The one answer to every refused signature and to an unknown partner, byte for byte: a problem written
    /// once, without the trace id a problem otherwise carries (which would differ from answer to answer).
    /// </summary>
    private static readonly string Refusal = JsonSerializer.Serialize(new
    {
        type = "https://tools.ietf.org/html/rfc9110#section-15.5.2",
        title = "X-Alice-Signature is missing, stale, or does not match this request (partner-api-v1.md, Signing).",
        status = 401,
    });

    /// <summary>POST /partners/{partner}/events: a partner tells how its booking is going (partner-api-v1.md, v1.1).</summary>
    public static IEndpointRouteBuilder MapPartnerEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/partners/{partner}/events", ReceiveEventAsync).DisableAntiforgery();
        return app;
    }

    /// <summary>What the partner is told of an event applied (or already applied): its id and what came of it.</summary>
    internal sealed record EventApplied(string EventId, string Result);

    /// <summary>The body's size, then the signature (an unknown partner answered as a bad signature is), then the event.</summary>
    private static async Task<Results<Ok<EventApplied>, ContentHttpResult, ProblemHttpResult>> ReceiveEventAsync(string partner, HttpContext http,
        IPartnerEvents events, IOptions<PartnerOptions> options, TimeProvider clock, RefusalLog refusals, CancellationToken ct)
    {
        var request = http.Request;
        if (request.ContentLength > MaxBodyBytes) return Problem(413, $"Event bodies are limited to {MaxBodyBytes} bytes.");
        var body = await RequestBody.ReadAtMostAsync(request.Body, MaxBodyBytes, ct);
        if (body is null) return Problem(413, $"Event bodies are limited to {MaxBodyBytes} bytes.");

        // An unknown partner gets the very answer a bad signature gets, after the same work: the endpoint
        // must not tell a stranger which partner names exist.
        // A console partner has no secret to sign with (its page is its only way in): unknown here.
        var provider = options.Value.Providers.FirstOrDefault(p => p.Name == partner && p.Mode == PartnerOptions.PartnerMode.Api);
        var now = clock.GetUtcNow();
        var target = new AliceSignature.Target(AliceSignature.Direction.PartnerToAlice, request.Method, RequestTarget.Raw(http));
        // Two checks every time (an unknown partner's against the random secret twice): during a rotation of
        // the partner's secret the previous one is accepted too, and the answer takes as long either way.
        var header = request.Headers[AliceSignature.Header].ToString();
        var acceptV1 = provider?.AcceptsV1At(now) ?? false;
        var valid = (provider?.EventSecrets() ?? [NoPartnerSecret, NoPartnerSecret])
            .Count(secret => AliceSignature.Verify(secret, header, target, body, now, ReplayWindow, acceptV1) == AliceSignature.Check.Valid) > 0;
        if (provider is null || !valid)
        {
            refusals.Refused(Endpoints);
            return TypedResults.Text(Refusal, "application/problem+json", statusCode: 401);
        }

        PartnerEventBody? received;
        try { received = JsonSerializer.Deserialize<PartnerEventBody>(body, PartnerClient.Json); }
        catch (JsonException) { return Problem(400, "The body is not a JSON event."); }
        if (received is null) return Problem(400, "The body is not a JSON event.");
        var (e, problem) = received.Parse();
        if (e is null) return Problem(400, problem ?? "The event is malformed.");

        return await events.ApplyAsync(provider, e, ct) switch
        {
            IPartnerEvents.Result.UnknownBooking => Problem(404, "No ride holds this booking or idempotency key."),
            IPartnerEvents.Result.Contradicts => Problem(400, "The idempotencyKey and the bookingId belong to different rides; nothing changed."),
            var result => TypedResults.Ok(new EventApplied(e.EventId, result.ToString().ToLowerInvariant())),
        };
    }

    private static ProblemHttpResult Problem(int status, string title) => TypedResults.Problem(statusCode: status, title: title);
}

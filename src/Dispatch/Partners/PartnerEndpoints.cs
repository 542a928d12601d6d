using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Partners;

internal static class PartnerEndpoints
{
    private const int MaxBodyBytes = 64 * 1024;
    private static readonly TimeSpan ReplayWindow = TimeSpan.FromMinutes(5);

    /// <summary>POST /partners/{partner}/events: a partner tells how its booking is going (partner-api-v1.md).</summary>
    public static IEndpointRouteBuilder MapPartnerEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/partners/{partner}/events", async (string partner, HttpRequest request, IPartnerEvents events,
            IOptions<PartnerOptions> options, TimeProvider clock, CancellationToken ct) =>
        {
            var provider = options.Value.Providers.FirstOrDefault(p => p.Name == partner);
            if (provider is null) return Problem(404, "Unknown partner.");
            if (request.ContentLength > MaxBodyBytes) return Problem(413, $"Event bodies are limited to {MaxBodyBytes} bytes.");
            var body = await RequestBody.ReadAtMostAsync(request.Body, MaxBodyBytes, ct);
            if (body is null) return Problem(413, $"Event bodies are limited to {MaxBodyBytes} bytes.");

            switch (AliceSignature.Verify(provider.Secret, request.Headers[AliceSignature.Header], body, clock.GetUtcNow(), ReplayWindow))
            {
                case AliceSignature.Check.Missing: return Problem(401, "X-Alice-Signature is missing or malformed.");
                case AliceSignature.Check.Stale: return Problem(401, "X-Alice-Signature is outside the 5-minute replay window.");
                case AliceSignature.Check.Mismatch: return Problem(401, "X-Alice-Signature does not match.");
            }

            PartnerEventBody? received;
            try { received = JsonSerializer.Deserialize<PartnerEventBody>(body, PartnerClient.Json); }
            catch (JsonException) { return Problem(400, "The body is not a JSON event."); }
            if (received is null) return Problem(400, "The body is not a JSON event.");
            var (e, problem) = received.Parse();
            if (e is null) return Problem(400, problem ?? "The event is malformed.");

            return await events.ApplyAsync(provider, e, ct) switch
            {
                IPartnerEvents.Result.UnknownBooking => Problem(404, "No ride holds this booking or booking code."),
                var result => Results.Ok(new { eventId = e.EventId, result = result.ToString().ToLowerInvariant() }),
            };
        }).DisableAntiforgery();
        return app;
    }

    private static IResult Problem(int status, string title) => Results.Problem(statusCode: status, title: title);
}

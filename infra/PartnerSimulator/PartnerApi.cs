using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Alice.PartnerSimulator;

/// <summary>Partner API v1.1, the partner's side: /v1/bookings and /v1/bookings/{id}/cancel.</summary>
internal static class PartnerApi
{
    public static void MapPartnerApi(this WebApplication app)
    {
        app.MapPost("/v1/bookings", async (HttpContext http, BookingLedger ledger, FaultSwitch faults, EventSender events,
            IOptions<SimulatorOptions> options, TimeProvider clock) =>
        {
            var request = http.Request;
            if (faults.IsDown) return Drop(http);
            ledger.CountAttempt();
            var body = await ReadBodyAsync(request);
            if (Refusal(http, body, options.Value, clock, ledger) is { } refused) return refused;
            var f = faults.Current;
            if (f.LatencyMs > 0) await Task.Delay(f.LatencyMs);
            if (faults.FailsNow())
            {
                if (f.RetryAfterSeconds > 0) http.Response.Headers.RetryAfter = f.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Results.Problem(statusCode: 503, title: "Simulated failure.");
            }
            var key = request.Headers["Idempotency-Key"].ToString();
            if (key.Length is 0 or > 200) return Problem(ledger, 400, "Idempotency-Key is required.");
            JsonElement json;
            try { json = JsonDocument.Parse(body).RootElement; }
            catch (JsonException) { return Problem(ledger, 400, "The body is not JSON."); }
            if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty("reference", out var reference) || reference.GetString() is not { Length: > 0 } code)
                return Problem(ledger, 400, "reference is required.");

            var (booking, created) = ledger.Book(key, code, json, clock.GetUtcNow());
            if (created) events.Start(booking);
            if (created && faults.GhostNow()) return Results.Problem(statusCode: 500, title: "Simulated failure after booking.");
            var answer = new { bookingId = booking.BookingId, etaMinutes = booking.EtaMinutes };
            return created ? Results.Created($"/v1/bookings/{booking.BookingId}", answer) : Results.Ok(answer);
        });

        app.MapPost("/v1/bookings/{bookingId}/cancel", async (string bookingId, HttpContext http, BookingLedger ledger, FaultSwitch faults,
            IOptions<SimulatorOptions> options, TimeProvider clock) =>
        {
            if (faults.IsDown) return Drop(http);
            var request = http.Request;
            var body = await ReadBodyAsync(request);
            if (Refusal(http, body, options.Value, clock, ledger) is { } refused) return refused;
            return ledger.Cancel(bookingId) ? Results.Ok(new { bookingId, cancelled = true }) : Problem(ledger, 404, "No such booking.");
        });
    }

    /// <summary>An outage: the connection is dropped without an answer, as when the partner's server is gone.</summary>
    private static IResult Drop(HttpContext http)
    {
        http.Abort();
        return Results.Empty;
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    /// <summary>
    /// Checks X-Alice-Signature v2 (partner API v1.1): <c>t=&lt;unix&gt;,v2=&lt;hex HMAC-SHA256("t.alice-to-partner.POST.path.body")&gt;</c>,
    /// with t inside the replay window; a v1 beside it is ignored, as a partner that has moved to v2 does.
    /// Written apart from Alice's signing code on purpose: the simulator is a second implementation of the
    /// contract, so a mistake on one side shows up as a refusal.
    /// </summary>
    private static IResult? Refusal(HttpContext http, byte[] body, SimulatorOptions options, TimeProvider clock, BookingLedger ledger)
    {
        var request = http.Request;
        var parts = request.Headers["X-Alice-Signature"].ToString().Split(',')
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0].Trim(), p => p[1].Trim());
        if (!parts.TryGetValue("t", out var t) || !long.TryParse(t, out var seconds) || !parts.TryGetValue("v2", out var v2))
            return Problem(ledger, 401, "X-Alice-Signature is missing, malformed or has no v2.");
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        if (seconds < now - options.ReplayWindowSeconds || seconds > now + options.ReplayWindowSeconds)
            return Problem(ledger, 401, "X-Alice-Signature is outside the replay window.");
        // The path as it arrived, as Alice sent it (the simulator is never behind a path-rewriting proxy).
        var path = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.ToUriComponent() + request.QueryString;
        var expected = Signing.Header(options.Secret, seconds, Signing.AliceToPartner, request.Method, path, body);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes($"t={t},v2={v2.ToLowerInvariant()}"))
            ? null : Problem(ledger, 401, "X-Alice-Signature does not match.");
    }

    private static IResult Problem(BookingLedger ledger, int status, string title)
    {
        ledger.CountRefusal();
        return Results.Problem(statusCode: status, title: title);
    }
}

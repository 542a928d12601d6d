using System.Collections.Concurrent;
using System.Text.Json;
using Alice.Signatures;
using Microsoft.Extensions.Options;

namespace Alice.PoliceReceiver;

internal sealed class ReceiverOptions
{
    public const string Section = "Receiver";
    /// <summary>The secret the zone shares with Alice (Police:Zones:N:Secret on the service's side).</summary>
    public string Secret { get; set; } = "";
}

/// <summary>A police request as the zone received it: the body exactly as sent, and when.</summary>
public sealed record Received(string RequestId, JsonElement Body, DateTimeOffset At);

/// <summary>The requests received, once each, and the failures asked for.</summary>
public sealed class Inbox
{
    private readonly ConcurrentDictionary<string, Received> _received = new();
    private int _failNext;

    public IReadOnlyList<Received> All => _received.Values.OrderBy(r => r.At).ToList();
    public int Refused;
    /// <summary>Deliveries after the first of a request (a retry after a lost answer).</summary>
    public int Repeats;

    public void FailNext(int count) => Interlocked.Exchange(ref _failNext, count);
    public bool FailsNow() => Interlocked.Decrement(ref _failNext) >= 0;
    public bool Add(Received received) => _received.TryAdd(received.RequestId, received);
}

public static class PoliceReceiverApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddOptions<ReceiverOptions>().Bind(builder.Configuration.GetSection(ReceiverOptions.Section))
            .Validate(o => o.Secret.Length >= 32, "Receiver:Secret must be the zone's secret (32+ characters).").ValidateOnStart();
        builder.Services.AddSingleton<Inbox>();
        var app = builder.Build();

        app.MapPost("/police", async (HttpContext http, Inbox inbox, IOptions<ReceiverOptions> options) =>
        {
            var request = http.Request;
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            var body = buffer.ToArray();
            var target = new AliceSignature.Target(AliceSignature.Direction.AliceToPolice, request.Method, RequestTarget.Raw(http));
            if (AliceSignature.Verify(options.Value.Secret, request.Headers[AliceSignature.Header], target, body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5))
                != AliceSignature.Check.Valid)
            {
                Interlocked.Increment(ref inbox.Refused);
                return Results.Problem(statusCode: 401, title: "X-Alice-Signature is missing, stale or wrong.");
            }
            if (inbox.FailsNow()) return Results.Problem(statusCode: 503, title: "Down on request.");
            var key = request.Headers["Idempotency-Key"].ToString();
            if (key.Length == 0) return Results.Problem(statusCode: 400, title: "Idempotency-Key is required.");
            if (!inbox.Add(new Received(key, JsonDocument.Parse(body).RootElement.Clone(), DateTimeOffset.UtcNow))) Interlocked.Increment(ref inbox.Repeats);
            return Results.Ok(new { received = key });
        });
        app.MapGet("/received", (Inbox inbox) => inbox.All);
        app.MapPost("/faults", (int failNext, Inbox inbox) => { inbox.FailNext(failNext); return Results.NoContent(); });
        app.MapGet("/", (Inbox inbox) => Results.Content($"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="refresh" content="5"><title>Police zone (simulated)</title></head>
            <body><h1>Police zone (simulated): requests received</h1><p>Refused (bad signature): {inbox.Refused}</p>
            <ul>{string.Concat(inbox.All.Reverse().Select(r => $"<li>{r.At:HH:mm:ss} <code>{System.Net.WebUtility.HtmlEncode(r.Body.ToString())}</code></li>"))}</ul></body></html>
            """, "text/html; charset=utf-8"));
        return app;
    }
}

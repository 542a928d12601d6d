using System.Collections.Concurrent;
using Alice.Dispatch.Campuses;
using Alice.Dispatch.Telephony;
using Microsoft.Extensions.Options;

namespace Alice.Dispatch.DevPhone;

/// <summary>
/// Development only: a phone in the browser (/dev/phone) and a whole call from the command line
/// (infra/call). Each signs its requests like Twilio and sends them to this service over HTTP.
/// Program.cs maps none of this outside Development.
/// </summary>
internal static class DevPhoneEndpoints
{
    public const string HttpClientName = "dev-phone";
    /// <summary>A made-up caller number: the privacy tests look for it after a call.</summary>
    public const string SimulatedFrom = "+32470000001";

    public static IServiceCollection AddDevPhone(this IServiceCollection services)
    {
        services.AddHttpClient(HttpClientName);
        services.AddSingleton<ConcurrentDictionary<string, SimulatedCall>>();
        return services;
    }

    public static IEndpointRouteBuilder MapDevPhoneEndpoints(this IEndpointRouteBuilder app)
    {
        var dev = app.MapGroup("/dev/phone").DisableAntiforgery();
        dev.MapGet("/", () => Results.Stream(
            typeof(DevPhoneEndpoints).Assembly.GetManifestResourceStream("Alice.Dispatch.DevPhone.phone.html")!, "text/html; charset=utf-8"));
        dev.MapGet("/campuses", (CampusDirectory campuses) =>
            campuses.Hotline.Campuses.Select(c => new { c.Id, c.Name, c.HotlineNumber }));

        var calls = dev.MapGroup("/calls");
        calls.MapPost("/", async (CallStart start, HttpContext http, ConcurrentDictionary<string, SimulatedCall> live, CancellationToken ct) =>
        {
            var call = NewCall(http, start.To);
            await call.StartAsync(ct);
            if (!call.Ended) live[call.CallSid] = call;
            return View(call);
        });
        calls.MapPost("/{id}/keys/{key}", async (string id, char key, ConcurrentDictionary<string, SimulatedCall> live, CancellationToken ct) =>
            await Step(id, live, call => "0123456789*#".Contains(key) ? call.PressAsync(key, ct) : null));
        calls.MapPost("/{id}/wait", async (string id, ConcurrentDictionary<string, SimulatedCall> live, CancellationToken ct) =>
            await Step(id, live, call => call.WaitAsync(ct)));

        // The command line's way in: the keys in order ('-' for pressing nothing), the whole
        // conversation back as text.
        dev.MapPost("/run", async (string? keys, string? to, HttpContext http, CancellationToken ct) =>
        {
            var call = NewCall(http, to);
            await call.PlayAsync((keys ?? "").Where(c => !char.IsWhiteSpace(c) && c != ','), ct);
            return Results.Text(string.Join('\n', call.Transcript) + '\n');
        });
        return app;
    }

    internal sealed record CallStart(string? To);

    private static SimulatedCall NewCall(HttpContext http, string? to)
    {
        var services = http.RequestServices;
        var twilio = services.GetRequiredService<IOptions<TwilioOptions>>().Value;
        var campuses = services.GetRequiredService<CampusDirectory>();
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName);
        client.BaseAddress = new Uri($"{http.Request.Scheme}://{http.Request.Host}");
        return new SimulatedCall(client, twilio.PublicBaseUrl, twilio.AuthToken, SimulatedFrom,
            to ?? campuses.Hotline.Campuses[0].HotlineNumber);
    }

    private static async Task<IResult> Step(string id, ConcurrentDictionary<string, SimulatedCall> live, Func<SimulatedCall, Task?> act)
    {
        if (!live.TryGetValue(id, out var call)) return Results.Problem(statusCode: 404, title: "No such call in progress.");
        if (!call.AwaitingKey) return Results.Problem(statusCode: 409, title: "The call is not waiting for a key.");
        var step = act(call);
        if (step is null) return Results.Problem(statusCode: 400, title: "Keys are 0-9, * and #.");
        await step;
        if (call.Ended) live.TryRemove(id, out _);
        return View(call);
    }

    private static IResult View(SimulatedCall call) =>
        Results.Ok(new { id = call.CallSid, lines = call.Transcript, awaitingKey = call.AwaitingKey, ended = call.Ended });
}

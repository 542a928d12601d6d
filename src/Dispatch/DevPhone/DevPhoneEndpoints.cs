using System.Collections.Concurrent;
using System.Net;
using Alice.Dispatch.Campuses;
using Alice.Dispatch.Telephony;
using Alice.Dispatch.Twilio;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Alice.Dispatch.DevPhone;

/// <summary>
/// Development only: a phone in the browser (/dev/phone) and a whole call from the command line
/// (infra/call). Each signs its requests like Twilio and sends them to this service over HTTP, on its
/// own loopback address; every post needs the page's antiforgery token. DispatchHost maps none of this
/// outside Development, and this maps none of it unless the Twilio token is the development one.
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

    /// <summary>
    /// The phone has no login and signs with the service's Twilio token: whoever reaches it books rides as
    /// Twilio would. So it exists only while that token is the public development one, which signs nothing
    /// real; Development run with a real token (to try a real number, say) has no phone, and says why.
    /// </summary>
    public static IEndpointRouteBuilder MapDevPhoneEndpoints(this IEndpointRouteBuilder app)
    {
        var services = app.ServiceProvider;
        if (!DevelopmentSecrets.IsDevelopmentSecret(services.GetRequiredService<IConfiguration>()["Twilio:AuthToken"]))
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DevPhoneEndpoints)).LogWarning(
                "The development phone (/dev/phone) is off: Twilio:AuthToken is not the development token, and the phone, which has no login, would sign calls with it");
            return app;
        }
        // The antiforgery middleware checks forms only; these posts are JSON or empty, so RequirePageToken checks them.
        var dev = app.MapGroup("/dev/phone").DisableAntiforgery();
        dev.MapGet("/", (HttpContext http, IAntiforgery antiforgery) => Page(antiforgery.GetAndStoreTokens(http)));
        dev.MapGet("/campuses", (CampusDirectory campuses) =>
            campuses.Hotline.Campuses.Select(c => new { c.Id, c.Name, c.HotlineNumber }));

        // Each post has the service sign requests with its Twilio token: only the phone's page may ask for one.
        var posts = dev.MapGroup("").AddEndpointFilter(RequirePageToken);
        var calls = posts.MapGroup("/calls");
        calls.MapPost("/", StartAsync);
        calls.MapPost("/{id}/keys/{key}", async (string id, char key, ConcurrentDictionary<string, SimulatedCall> live, CancellationToken ct) =>
            await Step(id, live, call => "0123456789*#".Contains(key) ? call.PressAsync(key, ct) : null));
        calls.MapPost("/{id}/wait", async (string id, ConcurrentDictionary<string, SimulatedCall> live, CancellationToken ct) =>
            await Step(id, live, call => call.WaitAsync(ct)));
        // At any moment, even while a step is under way (the caller tired of waiting, say).
        calls.MapPost("/{id}/hang-up", async Task<Results<Ok<CallView>, ProblemHttpResult>> (string id, ConcurrentDictionary<string, SimulatedCall> live, CancellationToken ct) =>
        {
            if (!live.TryRemove(id, out var call)) return NoSuchCall;
            await call.HangUpAsync(ct);
            return View(call);
        });

        // The command line's way in: the keys in order ('-' for pressing nothing), the whole
        // conversation back as text.
        posts.MapPost("/run", RunAsync);
        // One text message, from the page's text tab or infra/text: Alice's reply back as text.
        posts.MapPost("/text", TextAsync);
        return app;
    }

    internal sealed record CallStart(string? To);

    /// <summary>What the phone's page shows of a call.</summary>
    internal sealed record CallView(string Id, string CallSid, IReadOnlyList<CallLine> Lines, bool AwaitingKey, bool Ended);

    private static async Task<Results<Ok<CallView>, ProblemHttpResult>> StartAsync(CallStart start, HttpContext http, ConcurrentDictionary<string, SimulatedCall> live, CancellationToken ct)
    {
        if (NewCall(http, start.To) is not { } call) return NoLoopback;
        await call.StartAsync(ct);
        if (!call.Ended) live[call.Id] = call;
        return View(call);
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> RunAsync(string? keys, string? to, HttpContext http, CancellationToken ct)
    {
        if (NewCall(http, to) is not { } call) return NoLoopback;
        await call.PlayAsync((keys ?? "").Where(c => !char.IsWhiteSpace(c) && c != ','), ct);
        return TypedResults.Text(string.Join('\n', call.Transcript) + '\n');
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> TextAsync(string? body, string? to, HttpContext http, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body)) return TypedResults.Problem(statusCode: 400, title: "A text message needs words: body=...");
        var services = http.RequestServices;
        if (Loopback(http) is not { } client) return NoLoopback;
        var twilio = services.GetRequiredService<IOptions<TwilioOptions>>().Value;
        var campuses = services.GetRequiredService<CampusDirectory>();
        var reply = await SimulatedText.SendAsync(client, twilio.PublicBaseUrl, twilio.AuthToken, SimulatedFrom, to ?? campuses.Hotline.Campuses[0].HotlineNumber, body, ct);
        return TypedResults.Text(reply + '\n');
    }

    private static readonly string PageHtml = new StreamReader(
        typeof(DevPhoneEndpoints).Assembly.GetManifestResourceStream("Alice.Dispatch.DevPhone.phone.html")!).ReadToEnd();

    /// <summary>The phone's page, carrying the antiforgery token its script sends with every post (its cookie is set beside it).</summary>
    private static ContentHttpResult Page(AntiforgeryTokenSet tokens) => TypedResults.Content(
        PageHtml.Replace("{{token-header}}", WebUtility.HtmlEncode(tokens.HeaderName)).Replace("{{token}}", WebUtility.HtmlEncode(tokens.RequestToken)),
        "text/html; charset=utf-8");

    /// <summary>A post without the page's token (another site's page posting, say) is refused with 400 and does nothing.</summary>
    private static async ValueTask<object?> RequirePageToken(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        bool valid;
        try
        {
            valid = await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http);
        }
        catch (Exception e) when (e is InvalidDataException or IOException) // a form body it could not read
        {
            valid = false;
        }
        return valid ? await next(context) : TypedResults.Problem(statusCode: 400,
            title: "The development phone's token is missing or wrong: load its page (/dev/phone) and send the token the page carries, as the page and infra/call do.");
    }

    private static ProblemHttpResult NoSuchCall => TypedResults.Problem(statusCode: 404, title: "No such call in progress.");

    private static ProblemHttpResult NoLoopback => TypedResults.Problem(statusCode: 503,
        title: "The development phone calls the service on loopback, and the service listens on no loopback address (--urls http://localhost:5080).");

    /// <summary>
    /// A call placed on the service's own loopback address, never on the request's Host header: a forged
    /// Host would otherwise have the phone post requests signed with the Twilio token wherever it names.
    /// Null when the service listens on no address this machine reaches over loopback.
    /// </summary>
    private static SimulatedCall? NewCall(HttpContext http, string? to)
    {
        var services = http.RequestServices;
        if (Loopback(http) is not { } client) return null;
        var twilio = services.GetRequiredService<IOptions<TwilioOptions>>().Value;
        var campuses = services.GetRequiredService<CampusDirectory>();
        return new SimulatedCall(client, twilio.PublicBaseUrl, twilio.AuthToken, SimulatedFrom,
            to ?? campuses.Hotline.Campuses[0].HotlineNumber);
    }

    /// <summary>A client for the service's own loopback address (see <see cref="NewCall"/>); null when it listens on none.</summary>
    private static HttpClient? Loopback(HttpContext http)
    {
        var services = http.RequestServices;
        var addresses = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        if (ListenAddresses.Loopback(addresses) is not { } own) return null;
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName);
        client.BaseAddress = own;
        return client;
    }

    private static async Task<Results<Ok<CallView>, ProblemHttpResult>> Step(string id, ConcurrentDictionary<string, SimulatedCall> live, Func<SimulatedCall, Task?> act)
    {
        if (!live.TryGetValue(id, out var call)) return NoSuchCall;
        if (!call.AwaitingKey) return TypedResults.Problem(statusCode: 409, title: "The call is not waiting for a key.");
        var step = act(call);
        if (step is null) return TypedResults.Problem(statusCode: 400, title: "Keys are 0-9, * and #.");
        await step;
        if (call.Ended) live.TryRemove(id, out _);
        return View(call);
    }

    private static Ok<CallView> View(SimulatedCall call) =>
        TypedResults.Ok(new CallView(call.Id, call.CallSid, call.Transcript, call.AwaitingKey, call.Ended));
}

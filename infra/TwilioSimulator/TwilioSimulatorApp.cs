using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Alice.TwilioSimulator;

/// <summary>The account the simulator accepts: Twilio's account SID and auth token, as the service is configured with.</summary>
internal sealed class TwilioSimulatorOptions
{
    public const string Section = "Simulator";
    public string AccountSid { get; set; } = "";
    public string AuthToken { get; set; } = "";
}

/// <summary>A message or call the simulator was asked for.</summary>
public sealed record Sent(string Sid, string Kind, string To, string From, string Text, DateTimeOffset At);

/// <summary>Faults in force: the next N requests answered 500, or every request refused until a time.</summary>
public sealed record TwilioFaults(int FailNext = 0, DateTimeOffset? DownUntil = null);

/// <summary>What was sent, the call records deleted, and the faults, shared by the endpoints.</summary>
public sealed class Outbox
{
    private readonly ConcurrentQueue<Sent> _sent = new();
    private readonly ConcurrentQueue<string> _deleted = new();
    private readonly Lock _lock = new();
    private TwilioFaults _faults = new();

    public IReadOnlyList<Sent> All => _sent.ToArray();
    public int Refused { get; private set; }

    /// <summary>The SID of every call or message record a DELETE removed, in order (one entry a deletion, repeats included).</summary>
    public IReadOnlyList<string> Deleted => _deleted.ToArray();

    public void Add(Sent sent) => _sent.Enqueue(sent);

    public void AddDeleted(string callSid) => _deleted.Enqueue(callSid);

    public void SetFaults(TwilioFaults faults) { lock (_lock) _faults = faults; }

    /// <summary>Whether this request fails on purpose (uses up one of FailNext).</summary>
    public bool FailsNow(DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_faults.DownUntil > now) return true;
            if (_faults.FailNext <= 0) return false;
            _faults = _faults with { FailNext = _faults.FailNext - 1 };
            return true;
        }
    }

    public void CountRefused() { lock (_lock) Refused++; }
}

/// <summary>Builds the simulator; the tests start it in-process on a free loopback port the same way.</summary>
public static class TwilioSimulatorApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddOptions<TwilioSimulatorOptions>().Bind(builder.Configuration.GetSection(TwilioSimulatorOptions.Section))
            .Validate(o => o.AccountSid.StartsWith("AC") && o.AuthToken.Length >= 16, "Simulator:AccountSid (AC…) and Simulator:AuthToken (16+ characters) are required.")
            .ValidateOnStart();
        builder.Services.AddSingleton<Outbox>();
        var app = builder.Build();

        var account = app.MapGroup("/2010-04-01/Accounts/{sid}");
        account.MapPost("/Messages.json", (string sid, HttpContext http, Outbox outbox, IOptions<TwilioSimulatorOptions> o) =>
            Accept(sid, http, outbox, o.Value, "message", "SM", "Body"));
        account.MapPost("/Calls.json", (string sid, HttpContext http, Outbox outbox, IOptions<TwilioSimulatorOptions> o) =>
            Accept(sid, http, outbox, o.Value, "call", "CA", "Twiml"));

        account.MapDelete("/Calls/{callSid}.json", (string sid, string callSid, HttpContext http, Outbox outbox, IOptions<TwilioSimulatorOptions> o) =>
            DeleteCall(sid, callSid, http, outbox, o.Value));
        account.MapDelete("/Messages/{messageSid}.json", (string sid, string messageSid, HttpContext http, Outbox outbox, IOptions<TwilioSimulatorOptions> o) =>
            DeleteMessage(sid, messageSid, http, outbox, o.Value));

        app.MapGet("/sent", (Outbox outbox) => outbox.All);
        app.MapGet("/deleted", (Outbox outbox) => outbox.Deleted);
        app.MapPost("/faults", (TwilioFaults faults, double? downForSeconds, Outbox outbox) =>
        {
            outbox.SetFaults(downForSeconds is > 0 ? faults with { DownUntil = DateTimeOffset.UtcNow.AddSeconds(downForSeconds.Value) } : faults);
            return Results.NoContent();
        });
        app.MapGet("/", (Outbox outbox) => Results.Content(Page(outbox), "text/html; charset=utf-8"));
        return app;
    }

    /// <summary>Checks what Twilio checks (credentials, the account in the path, the required fields) and records the request.</summary>
    private static async Task<IResult> Accept(string sid, HttpContext http, Outbox outbox, TwilioSimulatorOptions account, string kind, string prefix, string textField)
    {
        if (Refusal(sid, http, outbox, account) is { } refused) return refused;
        if (!http.Request.HasFormContentType) return Problem(21620, "A form body is required.");
        var form = await http.Request.ReadFormAsync();
        string? to = form["To"], from = form["From"], text = form[textField];
        if (string.IsNullOrEmpty(to) || string.IsNullOrEmpty(from)) return Problem(21604, "'To' and 'From' are required.");
        if (string.IsNullOrEmpty(text)) return Problem(21602, $"'{textField}' is required.");
        var sent = new Sent(prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), kind, to, from, text, DateTimeOffset.UtcNow);
        outbox.Add(sent);
        return Results.Json(new { sid = sent.Sid, status = "queued", to, from }, statusCode: 201);
    }

    /// <summary>
    /// Deletes a call record: 204, as Twilio answers. The simulator holds no calls of its own, so any
    /// well-formed CallSid is taken as one it had; a malformed one is not found (404), as at Twilio.
    /// </summary>
    private static IResult DeleteCall(string sid, string callSid, HttpContext http, Outbox outbox, TwilioSimulatorOptions account) =>
        Refusal(sid, http, outbox, account)
        ?? (callSid.Length == 34 && callSid.StartsWith("CA") && callSid[2..].All(Uri.IsHexDigit) ? Deleted(outbox, callSid) : NotFound());

    /// <summary>Deletes the record of a message this simulator sent (204); any other SID is not found (404).</summary>
    private static IResult DeleteMessage(string sid, string messageSid, HttpContext http, Outbox outbox, TwilioSimulatorOptions account) =>
        Refusal(sid, http, outbox, account) ?? (outbox.All.Any(m => m.Kind == "message" && m.Sid == messageSid) ? Deleted(outbox, messageSid) : NotFound());

    private static IResult Deleted(Outbox outbox, string sid)
    {
        outbox.AddDeleted(sid);
        return Results.NoContent();
    }

    private static IResult NotFound() => Results.Json(new { code = 20404, message = "The requested resource was not found", status = 404 }, statusCode: 404);

    /// <summary>Wrong credentials (401) or a fault in force (500); null when the request may go on.</summary>
    private static IResult? Refusal(string sid, HttpContext http, Outbox outbox, TwilioSimulatorOptions account)
    {
        if (!Authorised(http.Request, account) || sid != account.AccountSid)
        {
            outbox.CountRefused();
            return Results.Json(new { code = 20003, message = "Authenticate", status = 401 }, statusCode: 401);
        }
        return outbox.FailsNow(DateTimeOffset.UtcNow)
            ? Results.Json(new { code = 20500, message = "Internal Server Error", status = 500 }, statusCode: 500)
            : null;
    }

    private static IResult Problem(int code, string message) => Results.Json(new { code, message, status = 400 }, statusCode: 400);

    private static bool Authorised(HttpRequest request, TwilioSimulatorOptions account)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header) || header.Scheme != "Basic" || header.Parameter is null)
            return false;
        var expected = Encoding.UTF8.GetBytes(Convert.ToBase64String(Encoding.UTF8.GetBytes($"{account.AccountSid}:{account.AuthToken}")));
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header.Parameter), expected);
    }

    private static string Page(Outbox outbox)
    {
        static string E(string s) => System.Net.WebUtility.HtmlEncode(s);
        var rows = string.Concat(outbox.All.Reverse().Select(s =>
            $"<tr><td>{s.At:HH:mm:ss}</td><td>{s.Kind}</td><td>{E(s.To)}</td><td>{E(s.From)}</td><td>{E(s.Text)}</td></tr>"));
        return $"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="refresh" content="5"><title>Twilio simulator</title></head>
            <body><h1>Twilio simulator: what the on-call phones and the callers who asked for a text received</h1><p>Refused (wrong credentials): {outbox.Refused}.
            Records deleted (calls ended, messages delivered): {outbox.Deleted.Count}.</p>
            <table><thead><tr><th>at</th><th>kind</th><th>to</th><th>from</th><th>text</th></tr></thead><tbody>{rows}</tbody></table></body></html>
            """;
    }
}

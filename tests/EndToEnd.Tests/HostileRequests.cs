using System.Text;
using System.Text.RegularExpressions;
using Alice.Signatures;

namespace Alice.EndToEnd.Tests;

/// <summary>One generated request: the endpoint group it aims at, its bytes, and whether the server may close without answering (it is too large to read).</summary>
internal sealed record HostileRequest(string Group, Uri Server, byte[] Bytes, bool MayCloseUnanswered, string Shape);

/// <summary>An antiforgery cookie and the form field that goes with it, as a login page hands them out.</summary>
internal sealed partial record FormTokens(string Cookie, string Field)
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    /// <summary>Reads the login page of a host as nginx passes it on (X-Forwarded-Proto: https, so the cookies are secure).</summary>
    public static async Task<FormTokens> FetchAsync(string url)
    {
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false });
        var request = new HttpRequestMessage(HttpMethod.Get, url + "/account/login");
        request.Headers.Add("X-Forwarded-Proto", "https");
        var response = await http.SendAsync(request);
        var page = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, page);
        var cookie = response.Headers.GetValues("Set-Cookie").First(c => c.StartsWith("alice.antiforgery=")).Split(';')[0];
        return new FormTokens(cookie, TokenField().Match(page).Groups[1].Value);
    }
}

/// <summary>
/// Makes hostile requests for every public endpoint, each from the seed and its own index alone (so any one
/// request of a failed run can be made again; only a partner signature's timestamp is the clock's): random and truncated forms, invalid UTF-8, huge bodies, huge
/// and many headers, repeated and missing parameters, wrong content types, path tricks; about half signed
/// validly (Twilio's signature, or the partner's), so what lies behind each signature check is tried too.
/// The caller's number of a signed webhook is never the hotline's: a valid signature is Twilio's word,
/// and bookings are not what this tries.
/// </summary>
internal sealed class HostileRequests(HostileService service, FormTokens dispatchForms, FormTokens adminForms)
{
    private static readonly string[] TwilioSteps = ["voice", "language", "menu", "pickup", "code", "wait", "dial-ended", "fallback", "status", "sms", "sms/sent"];
    private static readonly string[] TwilioQueries = ["", "?lang=fr&try=1", "?lang=nl&try=2", "?lang=xx&try=-1", "?lang=en&try=99999999999",
        "?lang=fr&lang=nl&try=1&try=2", "?lang=%00&try=%ff", "?code=1234&lang=en", "?lang=fr&try=1#rc=5", "?=&&=="];
    private static readonly string[] TwilioNames = ["CallSid", "AccountSid", "From", "To", "Caller", "Called", "Digits", "CallStatus",
        "Direction", "DialCallStatus", "DialCallDuration", "SpeechResult", "Confidence", "FromCity", "ApiVersion",
        "MessageSid", "SmsSid", "Body", "NumMedia", "MessageStatus"];
    private static readonly string[] StaffNames = ["name", "password", "code", "returnUrl", "id", "token", "rememberMe", "recoveryCode", "__RequestVerificationToken"];
    private static readonly string[] ConsoleNames = ["code", "id", "confirm", "reason", "arrived", "__RequestVerificationToken"];
    private static readonly string[] AdminNames = ["name", "role", "from", "to", "campus", "week", "__RequestVerificationToken"];
    private static readonly string[] PathTricks = ["/..{0}", "/%2e%2e{0}", "//{0}", "{0}/..", "{0}%00", "{0}%2f..%2f", "/./{0}", "{0}/.",
        "{0}\\..\\", "/%2E%2E/%2E%2E{0}", "{0}%c0%ae%c0%ae", "{0}?%00=%00", "/{1}{0}", "{0}/{1}", "{0}%", "{0}%zz", "{0};jsessionid=1"];
    private static readonly string[] ContentTypes = ["text/plain", "application/json", "multipart/form-data; boundary=----x", "",
        "application/x-www-form-urlencoded; charset=utf-16", "application/x-www-form-urlencoded;;;", "application/x-www-form-urlencoded; boundary=\"",
        "image/png", "*/*"];
    private static readonly string[] Methods = ["GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "FOO", "post"];

    public static readonly string[] Groups = ["Twilio webhooks", "Partner events", "Staff login", "Centre console", "Admin panel", "Path tricks"];

    public HostileRequest Make(int seed, int index)
    {
        var r = new Random(unchecked(seed * 1_000_003 + index));
        var group = Groups[r.Next(Groups.Length)];
        var admin = group == "Admin panel" || (group == "Path tricks" && r.Next(2) == 0);
        var server = new Uri(admin ? service.AdminUrl : service.DispatchUrl);
        var headers = new List<(string, string)>();
        var shape = new List<string>();
        if (r.Next(5) > 0) headers.Add(("X-Forwarded-Proto", "https")); // as nginx passes every request on
        else shape.Add("plain http");

        string method = "POST", target;
        byte[] body;
        switch (group)
        {
            case "Twilio webhooks":
                target = "/twilio/" + Pick(r, TwilioSteps) + Pick(r, TwilioQueries);
                (body, headers) = TwilioBody(r, target, headers, shape);
                break;
            case "Partner events":
                target = "/partners/" + Pick(r, ["simulator", HostileService.SecondPartner, "nobody", "%2e%2e", "simulator%00", "SIMULATOR", new string('p', 900)]) + "/events";
                body = PartnerBody(r, target, headers, shape);
                break;
            case "Staff login":
                target = "/account/" + Pick(r, ["login", "code", "enrol", "logout", "login?returnUrl=//evil.example", "login?returnUrl=javascript:alert(1)",
                    "enrol?id=" + Value(r) + "&token=" + Value(r), "code?returnUrl=%0d%0aSet-Cookie:x", "audit", ""]);
                body = Form(r, StaffNames, dispatchForms, headers, shape);
                break;
            case "Centre console":
                var value = Value(r);
                var id = Uri.EscapeDataString(value[..Math.Min(40, value.Length)]);
                target = "/centre" + Pick(r, ["/arrivals", $"/alerts/{id}/acknowledge", $"/alerts/{id}/resolve", $"/rides/{id}/police", "/board", "/", $"/?arrived={id}"]);
                body = Form(r, ConsoleNames, dispatchForms, headers, shape);
                break;
            case "Admin panel":
                target = Pick(r, ["/account/login", "/account/code", "/account/enrol", "/operators/accounts/invite", "/operators/accounts/reset",
                    "/operators/accounts/disable", "/totals?from=" + Value(r) + "&to=" + Value(r), "/totals/report?week=" + Value(r), "/totals.csv?campus=" + Value(r), "/"]);
                body = Form(r, AdminNames, adminForms, headers, shape);
                break;
            default:
                var known = admin ? Pick(r, ["/account/login", "/totals", "/operators/accounts/invite"]) : Pick(r, ["/twilio/voice", "/partners/simulator/events", "/centre/arrivals", "/account/login", "/healthz"]);
                target = string.Format(Pick(r, PathTricks), known, new string('a', r.Next(1, 5000)));
                body = Form(r, TwilioNames, admin ? adminForms : dispatchForms, headers, shape);
                if (target.StartsWith("/twilio") || r.Next(3) == 0)
                    headers.Add((TwilioWebhookSigner.Header, TwilioWebhookSigner.Sign(HostileService.TwilioToken, service.PublicUrl + target, [])));
                shape.Add("path trick");
                break;
        }
        if (r.Next(6) == 0) { method = target.Contains("/events") || target.StartsWith("/twilio") ? Pick(r, Methods) : "GET"; shape.Add(method); }
        var mayClose = Hostile(r, ref body, headers, shape);
        var host = r.Next(40) == 0 ? null : r.Next(30) == 0 ? "evil.example" : server.Authority;
        if (host is null) shape.Add("no Host");
        var head = RawHttp.Head(method, target, host, headers, body.Length);
        return new HostileRequest(group, server, [.. head, .. body], mayClose, $"{method} {target} [{string.Join(", ", shape)}]");
    }

    /// <summary>A Twilio form, signed for its exact URL and parameters more often than not, else with a wrong, odd or missing signature.</summary>
    private (byte[], List<(string, string)>) TwilioBody(Random r, string target, List<(string, string)> headers, List<string> shape)
    {
        var form = Fields(r, TwilioNames);
        var signed = r.Next(5) < 3;
        string? signature = signed ? TwilioWebhookSigner.Sign(HostileService.TwilioToken, service.PublicUrl + target, form) : Pick(r,
            [null, "", "garbage", new string('A', 10_000), "=====", TwilioWebhookSigner.Sign("another-token", service.PublicUrl + target, form), "ÿÿÿÿ"]);
        shape.Add(signed ? "signed" : "unsigned");
        if (signature is not null) headers.Add((TwilioWebhookSigner.Header, signature));
        if (r.Next(20) == 0 && signature is not null) { headers.Add((TwilioWebhookSigner.Header, signature)); shape.Add("signature twice"); }
        headers.Add(("Content-Type", ContentType(r, shape)));
        return (FormBytes(r, form, shape), headers);
    }

    /// <summary>A partner event, from well formed to not JSON at all, signed with that partner's secret more often than not.</summary>
    private byte[] PartnerBody(Random r, string target, List<(string, string)> headers, List<string> shape)
    {
        string text = r.Next(8) switch
        {
            0 => "{\"eventId\":" + Json(r) + ",\"bookingId\":" + Json(r) + ",\"type\":\"accepted\",\"etaMinutes\":" + Pick(r, ["5", "-1", "1e30", "99999999999", "\"5\"", "null"]) + "}",
            1 => new string('[', r.Next(1, 5000)) + new string(']', r.Next(0, 5000)),
            2 => Pick(r, ["null", "[]", "{}", "\"event\"", "0", "true", "{\"eventId\":null}", "{\"type\":{}}"]),
            3 => Ascii(r, r.Next(0, 400)),
            4 => "{\"eventId\":\"" + new string('e', 60_000) + "\"}",
            _ => "{\"eventId\":" + Json(r) + ",\"bookingId\":" + Json(r) + ",\"reference\":" + Json(r) + ",\"type\":" +
                 Pick(r, ["\"accepted\"", "\"dropped_off\"", "\"cancelled\"", "\"no_driver\"", "\"flying\"", "1", "null"]) +
                 ",\"vehicle\":{\"description\":" + Json(r) + ",\"plate\":" + Json(r) + "},\"at\":" + Pick(r, ["\"2026-13-45T99:00:00Z\"", "\"now\"", "0", "\"2026-12-01T20:00:00Z\""]) + "}",
        };
        var body = Encoding.UTF8.GetBytes(text);
        if (r.Next(4) == 0) { body = body[..r.Next(body.Length + 1)]; shape.Add("truncated"); }
        if (r.Next(10) == 0) { body = [.. body, 0xC3, 0x28, 0xFF, 0xFE]; shape.Add("invalid UTF-8"); }
        var secret = target.Contains("/" + HostileService.SecondPartner + "/") ? HostileService.SecondPartnerSecret : RunningService.PartnerSecret;
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var signed = r.Next(5) < 3;
        shape.Add(signed ? "signed" : "unsigned");
        // Signed as the partner signs (v2: direction, method and path) when signed, else forged in one of many ways.
        string Sign(string key, long at) => AliceSignature.Create(key, at, new AliceSignature.Target(AliceSignature.Direction.PartnerToAlice, "POST", target), body);
        string? signature = signed ? Sign(secret, now) : Pick(r, [null, "", "t=abc,v2=00", Sign(secret, now - 3600), V1Signature.Create(secret, now, body),
            $"t={long.MaxValue},v2=00", $"t={long.MinValue},v2=", "v2=00,t=1,t=2", new string(',', 5000), Sign("not-the-secret", now), "t=1,v2=ÿÿ"]);
        if (signature is not null) headers.Add((AliceSignature.Header, signature));
        headers.Add(("Content-Type", r.Next(5) == 0 ? Pick(r, ContentTypes) : "application/json"));
        return body;
    }

    /// <summary>A staff form: with the page's antiforgery token and cookie half the time, a forged one or none otherwise.</summary>
    private static byte[] Form(Random r, string[] names, FormTokens tokens, List<(string, string)> headers, List<string> shape)
    {
        var form = Fields(r, names);
        if (r.Next(2) == 0)
        {
            form.Add(new("__RequestVerificationToken", tokens.Field));
            headers.Add(("Cookie", tokens.Cookie + (r.Next(4) == 0 ? "; alice.session=" + Ascii(r, 300) : "")));
            shape.Add("antiforgery token");
        }
        else if (r.Next(3) == 0)
        {
            headers.Add(("Cookie", Pick(r, ["alice.antiforgery=forged", "alice.session=" + Ascii(r, 500), ".AspNetCore.Identity.TwoFactorUserId=x", "a=b; a=c; ;;"])));
            shape.Add("forged cookie");
        }
        headers.Add(("Content-Type", ContentType(r, shape)));
        return FormBytes(r, form, shape);
    }

    /// <summary>Parameters by name from the endpoint's own vocabulary (and some it does not know), with hostile values, repeated or missing.</summary>
    private static List<KeyValuePair<string, string>> Fields(Random r, string[] names)
    {
        var count = r.Next(30) == 0 ? 300 : r.Next(0, names.Length + 2);
        var form = Enumerable.Range(0, count).Select(_ => KeyValuePair.Create(r.Next(8) == 0 ? Ascii(r, r.Next(1, 20)) : Pick(r, names), Value(r))).ToList();
        if (form.Count > 0 && r.Next(5) == 0) form.Add(form[r.Next(form.Count)]); // the same parameter twice
        return form;
    }

    private static string Value(Random r) => r.Next(14) switch
    {
        0 => "",
        1 => r.Next(10).ToString(),
        2 => r.NextInt64().ToString(),
        3 => "+3247" + r.Next(1_000_000, 9_999_999),
        4 => new string('9', r.Next(1, 5000)),
        5 => "CA" + r.NextInt64().ToString("x16") + r.NextInt64().ToString("x16"),
        6 => Pick(r, ["completed", "busy", "no-answer", "canceled", "failed", "in-progress", "COMPLETED"]),
        7 => "é漢字🙂\u202e\u0000",
        8 => "%00%zz%",
        9 => "<Response><Dial>+3220000199</Dial></Response>",
        10 => "'; DROP TABLE rides; --",
        11 => "../../etc/passwd",
        12 => "-1",
        _ => Ascii(r, r.Next(1, 64)),
    };

    private static string ContentType(Random r, List<string> shape)
    {
        if (r.Next(4) > 0) return "application/x-www-form-urlencoded";
        shape.Add("wrong content type");
        return Pick(r, ContentTypes);
    }

    /// <summary>The form encoded as a browser or Twilio would, or left raw, truncated, or with bytes that are no UTF-8.</summary>
    private static byte[] FormBytes(Random r, List<KeyValuePair<string, string>> form, List<string> shape)
    {
        var raw = r.Next(10) == 0;
        var text = string.Join('&', form.Select(p => raw ? p.Key + "=" + p.Value : Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        var bytes = Encoding.UTF8.GetBytes(text);
        if (raw) shape.Add("raw form");
        if (r.Next(8) == 0) { bytes = bytes[..r.Next(bytes.Length + 1)]; shape.Add("truncated"); }
        if (r.Next(10) == 0) { bytes = [.. bytes, .. "&x="u8, 0xC3, 0x28, 0xFF, 0xFE, 0xED, 0xA0, 0x80]; shape.Add("invalid UTF-8"); }
        return bytes;
    }

    /// <summary>What no endpoint is made for: a huge body, huge or many headers, two lengths; true when the server may just close.</summary>
    private static bool Hostile(Random r, ref byte[] body, List<(string, string)> headers, List<string> shape)
    {
        switch (r.Next(25))
        {
            case 0: body = [.. body, .. Encoding.ASCII.GetBytes(new string('x', 300 * 1024))]; shape.Add("huge body"); return true;
            case 1: headers.Add(("X-Padding", new string('a', 20_000))); shape.Add("huge header"); return true;
            case 2: headers.AddRange(Enumerable.Range(0, 80).Select(i => ($"X-Header-{i}", "v"))); shape.Add("many headers"); return true;
            case 3: headers.Add(("Content-Length", "0")); shape.Add("two lengths"); return true;
            case 4: headers.Add(("Transfer-Encoding", "chunked")); shape.Add("chunked and a length"); return true;
            case 5: headers.Add(("X-Bad", "a\u0001b")); shape.Add("control character in a header"); return true;
            default: return false;
        }
    }

    private static string Json(Random r) => System.Text.Json.JsonSerializer.Serialize(Value(r));

    private static string Ascii(Random r, int length) => new([.. Enumerable.Range(0, length).Select(_ => (char)r.Next(0x21, 0x7f))]);

    private static T Pick<T>(Random r, IReadOnlyList<T> items) => items[r.Next(items.Count)];
}

using System.Text;
using System.Text.Json;
using Alice.Signatures;

namespace Alice.EndToEnd.Tests;

/// <summary>
/// Promise 6, one alteration at a time: a genuine signed request is taken, and every single change to it
/// (its parameters, its URL, its signature, its time) must be refused and change nothing stored. Each
/// suite ends with the genuine request, accepted, so a refusal is the alteration's doing.
/// </summary>
[Collection(HostileCollection.Name)]
public class ForgeryTests(HostileService service)
{
    /// <summary>A Twilio webhook as sent: path and query, the form, and each X-Twilio-Signature header line.</summary>
    internal sealed record TwilioRequest(string Target, List<KeyValuePair<string, string>> Form, string[] Signatures);

    private const string Pickup = "/twilio/pickup?lang=fr&try=1";

    private static List<KeyValuePair<string, string>> Replace(List<KeyValuePair<string, string>> form, string name, KeyValuePair<string, string>? by) =>
        [.. form.SelectMany(p => p.Key != name ? [p] : by is { } b ? [b] : Array.Empty<KeyValuePair<string, string>>())];

    /// <summary>Each alteration of a genuine webhook; <c>url</c> re-signs for another URL, as a forger who knows the token but not our address would.</summary>
    private static (string Name, Func<TwilioRequest, Func<string, string, List<KeyValuePair<string, string>>, string>, TwilioRequest> Mutate)[] TwilioMutations(HostileService service)
    {
        var port = new Uri(service.PublicUrl).Port;
        return
        [
            ("a parameter added", (g, _) => g with { Form = [.. g.Form, new("SpeechResult", "one")] }),
            ("a parameter removed", (g, _) => g with { Form = Replace(g.Form, "Digits", null) }),
            ("a parameter renamed", (g, _) => g with { Form = Replace(g.Form, "Digits", new("digits", "1")) }),
            ("a value changed", (g, _) => g with { Form = Replace(g.Form, "Digits", new("Digits", "2")) }),
            ("a value emptied", (g, _) => g with { Form = Replace(g.Form, "Digits", new("Digits", "")) }),
            ("the caller's number changed", (g, _) => g with { Form = Replace(g.Form, "From", new("From", "+32470555112")) }),
            ("a parameter repeated", (g, _) => g with { Form = [.. g.Form, new("Digits", "1")] }),
            ("the path changed", (g, _) => g with { Target = g.Target.Replace("/pickup", "/menu") }),
            ("the query changed", (g, _) => g with { Target = g.Target.Replace("try=1", "try=2") }),
            ("a query parameter added", (g, _) => g with { Target = g.Target + "&lang=nl" }),
            ("the query dropped", (g, _) => g with { Target = g.Target.Split('?')[0] }),
            ("the query's order changed", (g, _) => g with { Target = "/twilio/pickup?try=1&lang=fr" }),
            ("signed for https", (g, sign) => g with { Signatures = [sign(HostileService.TwilioToken, service.PublicUrl.Replace("http:", "https:") + g.Target, g.Form)] }),
            ("signed for another port", (g, sign) => g with { Signatures = [sign(HostileService.TwilioToken, service.PublicUrl.Replace($":{port}", $":{port + 1}") + g.Target, g.Form)] }),
            ("signed for the host in capitals", (g, sign) => g with { Signatures = [sign(HostileService.TwilioToken, service.PublicUrl.Replace("localhost", "LOCALHOST") + g.Target, g.Form)] }),
            ("signed with another auth token", (g, sign) => g with { Signatures = [sign("another-auth-token", service.PublicUrl + g.Target, g.Form)] }),
            ("the signature altered", (g, _) => g with { Signatures = [(g.Signatures[0][0] == 'A' ? "B" : "A") + g.Signatures[0][1..]] }),
            ("the signature truncated", (g, _) => g with { Signatures = [g.Signatures[0][..^2]] }),
            ("the signature in lower case", (g, _) => g with { Signatures = [g.Signatures[0].ToLowerInvariant()] }),
            ("the signature header twice", (g, _) => g with { Signatures = [g.Signatures[0], g.Signatures[0]] }),
            ("the signature beside a forged one", (g, _) => g with { Signatures = ["Zm9yZ2Vk", g.Signatures[0]] }),
            ("the signature missing", (g, _) => g with { Signatures = [] }),
        ];
    }

    private async Task<RawHttp.Answer> SendAsync(TwilioRequest request)
    {
        var body = Encoding.UTF8.GetBytes(string.Join('&', request.Form.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value))));
        var server = new Uri(service.DispatchUrl);
        var head = RawHttp.Head("POST", request.Target, server.Authority,
            [("Content-Type", "application/x-www-form-urlencoded"), .. request.Signatures.Select(s => (TwilioWebhookSigner.Header, s))], body.Length);
        return await RawHttp.SendAsync(server, [.. head, .. body], TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Every_single_alteration_of_a_signed_webhook_is_refused_and_a_pickup_replayed_after_the_call_ended_books_nothing()
    {
        var form = HostileService.CallForm("CA" + Guid.NewGuid().ToString("N"), "1");
        var genuine = new TwilioRequest(Pickup, form, [TwilioWebhookSigner.Sign(HostileService.TwilioToken, service.PublicUrl + Pickup, form)]);
        var stored = await service.StoredAsync();
        List<IReadOnlyList<object>> rows = [];
        foreach (var (name, mutate) in TwilioMutations(service))
        {
            var answer = await SendAsync(mutate(genuine, TwilioWebhookSigner.Sign));
            rows.Add(["X-Twilio-Signature", name, answer.Status ?? 0, answer.Status == 403 ? "yes" : "NO"]);
        }
        var afterForgeries = await service.StoredAsync();

        // The genuine request books; the call ends; the same request again, as captured, books nothing.
        var booked = await SendAsync(genuine);
        rows.Add(["X-Twilio-Signature", "none (the genuine pickup)", booked.Status ?? 0, "no"]);
        var rides = await service.RideCountAsync();
        var ended = await service.PostSignedAsync("/twilio/status", Replace(form, "CallStatus", new("CallStatus", "completed")));
        Assert.True(ended.IsSuccessStatusCode, await ended.Content.ReadAsStringAsync());
        // Every ride's booking (the genuine one's included) at the partner first: a booking after that is the replay's.
        var bookings = await PartnerLedger.WaitForBookingsAsync(service.PartnerUrl, rides);
        Assert.Equal(rides, bookings);
        var replayed = await SendAsync(genuine);
        // A genuine call booked after the replay, as a marker: once its booking is at the partner, one the
        // replay had asked for would be there too (rides are booked in the order they are written).
        var marker = await service.BookAsync("CA" + Guid.NewGuid().ToString("N"));
        await PartnerLedger.WaitForAsync(service.PartnerUrl, marker);
        var bookedNothing = await service.RideCountAsync() == rides + 1 && (await PartnerLedger.ReadAsync(service.PartnerUrl)).Bookings.Count == bookings + 1;
        rows.Add(["X-Twilio-Signature", "the genuine pickup replayed after the call ended", replayed.Status ?? 0, bookedNothing ? "booked nothing" : "BOOKED"]);
        Figures.Write("Forged Twilio webhooks", ["signature", "mutation", "status", "refused"], rows);

        Assert.All(rows.SkipLast(2), row => Assert.Equal("yes", row[3]));
        Assert.Equal(stored, afterForgeries);
        Assert.Equal(200, booked.Status);
        Assert.True(replayed.Status is >= 200 and < 500, $"the replay was answered {replayed.Status}");
        Assert.True(bookedNothing, "a pickup replayed after the call ended booked a ride");
    }

    /// <summary>
    /// The messaging webhook, as the voice ones: every single alteration of a signed text message is refused and
    /// stores nothing; the genuine message books; the same message again, as captured, is refused and books nothing.
    /// </summary>
    [Fact]
    public async Task Every_single_alteration_of_a_signed_text_message_is_refused_and_a_replayed_message_books_nothing()
    {
        const string sender = "+32470555113";
        var started = await service.PostSignedAsync(Sms, TextForm(sender, "Bonjour"));
        Assert.True(started.IsSuccessStatusCode, await started.Content.ReadAsStringAsync());
        var form = TextForm(sender, "1");
        var genuine = new TwilioRequest(Sms, form, [TwilioWebhookSigner.Sign(HostileService.TwilioToken, service.PublicUrl + Sms, form)]);
        var port = new Uri(service.PublicUrl).Port;
        (string Name, Func<TwilioRequest, TwilioRequest> Mutate)[] mutations =
        [
            ("a parameter added", g => g with { Form = [.. g.Form, new("NumSegments", "1")] }),
            ("the words changed", g => g with { Form = Replace(g.Form, "Body", new("Body", "2")) }),
            ("the words removed", g => g with { Form = Replace(g.Form, "Body", null) }),
            ("the sender's number changed", g => g with { Form = Replace(g.Form, "From", new("From", "+32470555114")) }),
            ("the message SID changed", g => g with { Form = Replace(g.Form, "MessageSid", new("MessageSid", "SM" + Guid.NewGuid().ToString("N"))) }),
            ("the path changed", g => g with { Target = "/twilio/sms/sent" }),
            ("a query added", g => g with { Target = Sms + "?lang=nl" }),
            ("signed for another port", g => g with { Signatures = [TwilioWebhookSigner.Sign(HostileService.TwilioToken, service.PublicUrl.Replace($":{port}", $":{port + 1}") + g.Target, g.Form)] }),
            ("signed with another auth token", g => g with { Signatures = [TwilioWebhookSigner.Sign("another-auth-token", service.PublicUrl + g.Target, g.Form)] }),
            ("the signature altered", g => g with { Signatures = [(g.Signatures[0][0] == 'A' ? "B" : "A") + g.Signatures[0][1..]] }),
            ("the signature missing", g => g with { Signatures = [] }),
        ];
        var stored = await service.StoredAsync();
        List<IReadOnlyList<object>> rows = [];
        foreach (var (name, mutate) in mutations)
        {
            var answer = await SendAsync(mutate(genuine));
            rows.Add(["X-Twilio-Signature", name, answer.Status ?? 0, answer.Status == 403 ? "yes" : "NO"]);
        }
        var afterForgeries = await service.StoredAsync();

        var rides = await service.RideCountAsync();
        var booked = await SendAsync(genuine);
        var replayed = await SendAsync(genuine);
        var bookedNothing = await service.RideCountAsync() == rides + 1;
        rows.Add(["X-Twilio-Signature", "the genuine message replayed", replayed.Status ?? 0, replayed.Status == 409 && bookedNothing ? "refused" : "NO"]);
        Figures.Write("Forged text messages", ["signature", "mutation", "status", "refused"], rows);

        Assert.All(rows.SkipLast(1), row => Assert.Equal("yes", row[3]));
        Assert.Equal(stored, afterForgeries);
        Assert.Equal(200, booked.Status);
        Assert.Equal(409, replayed.Status);
        Assert.True(bookedNothing, "the genuine message booked no ride, or its replay booked another");
    }

    private const string Sms = "/twilio/sms";

    private static List<KeyValuePair<string, string>> TextForm(string from, string body)
    {
        var sid = "SM" + Guid.NewGuid().ToString("N");
        return [new("MessageSid", sid), new("SmsSid", sid), new("AccountSid", "AC0123456789abcdef0123456789abcdef"), new("From", from),
            new("To", CampusNumbers.Hotline), new("Body", body), new("NumMedia", "0")];
    }

    /// <summary>A partner event as sent: method, path, raw body and the X-Alice-Signature header (null for none).</summary>
    internal sealed record PartnerRequest(string Method, string Path, byte[] Body, string? Signature);

    /// <summary>
    /// Each alteration of a genuine partner event, by what it forges: the body, the timestamp and the secret
    /// (as in v1), and what v2 adds: the direction, the method and the path the signature was made for.
    /// </summary>
    private static readonly (string Signature, string Name, Func<PartnerRequest, long, PartnerRequest> Mutate)[] PartnerMutations =
    [
        ("v2", "the body altered", (g, _) => g with { Body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(g.Body).Replace("\"etaMinutes\":7", "\"etaMinutes\":8")) }),
        ("v2", "the body extended", (g, _) => g with { Body = [.. g.Body, (byte)' '] }),
        ("v2", "the body emptied", (g, _) => g with { Body = [] }),
        ("v2", "the timestamp altered", (g, now) => g with { Signature = g.Signature!.Replace($"t={now}", $"t={now - 1}") }),
        ("v2", "a stale timestamp, signed", (g, now) => g with { Signature = Sign(g, now - 3600) }),
        ("v2", "a future timestamp, signed", (g, now) => g with { Signature = Sign(g, now + 3600) }),
        ("v2", "replayed just outside the 5-minute window", (g, now) => g with { Signature = Sign(g, now - 301) }),
        ("v2", "signed with another partner's secret", (g, now) => g with { Signature = Sign(g, now, secret: HostileService.SecondPartnerSecret) }),
        ("v2", "sent as another partner", (g, _) => g with { Path = g.Path.Replace("/simulator/", $"/{HostileService.SecondPartner}/") }),
        ("v2", "signed for another partner's path", (g, now) => g with { Signature = Sign(g with { Path = g.Path.Replace("/simulator/", $"/{HostileService.SecondPartner}/") }, now) }),
        ("v2", "sent with a query the signature lacks", (g, _) => g with { Path = g.Path + "?again=1" }),
        ("v2", "signed for another method", (g, now) => g with { Signature = Sign(g with { Method = "PUT" }, now) }),
        ("v2", "signed as a request Alice sends (direction)", (g, now) => g with { Signature = Sign(g, now, direction: AliceSignature.Direction.AliceToPartner) }),
        ("v1", "signed with v1 only, no transition configured", (g, now) => g with { Signature = V1Signature.Create(RunningService.PartnerSecret, now, g.Body) }),
        ("v2", "the signature truncated", (g, _) => g with { Signature = g.Signature![..^2] }),
        ("v2", "the signature without its timestamp", (g, _) => g with { Signature = g.Signature!.Split(',')[1] }),
        ("v2", "the signature missing", (g, _) => g with { Signature = null }),
    ];

    /// <summary>X-Alice-Signature v2 for this request, as the partner makes it (or a forger, with another secret or direction).</summary>
    private static string Sign(PartnerRequest r, long at, string secret = RunningService.PartnerSecret, string direction = AliceSignature.Direction.PartnerToAlice) =>
        AliceSignature.Create(secret, at, new AliceSignature.Target(direction, r.Method, r.Path), r.Body);

    private async Task<RawHttp.Answer> SendAsync(PartnerRequest request)
    {
        var server = new Uri(service.DispatchUrl);
        List<(string, string)> headers = [("Content-Type", "application/json")];
        if (request.Signature is not null) headers.Add((AliceSignature.Header, request.Signature));
        return await RawHttp.SendAsync(server, [.. RawHttp.Head(request.Method, request.Path, server.Authority, headers, request.Body.Length), .. request.Body], TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Every_single_alteration_of_a_signed_partner_event_is_refused_and_changes_nothing()
    {
        var code = await service.BookAsync("CA" + Guid.NewGuid().ToString("N"));
        var booking = await PartnerLedger.WaitForAsync(service.PartnerUrl, code);
        await Eventually.True(async () => await service.RideStatusAsync(booking.IdempotencyKey) == "booked", $"the ride {booking.IdempotencyKey} is booked", TimeSpan.FromSeconds(5));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            eventId = Guid.NewGuid().ToString("N"), idempotencyKey = booking.IdempotencyKey, bookingId = booking.BookingId, reference = code,
            type = "accepted", etaMinutes = 7, at = DateTimeOffset.UtcNow,
        });
        var unsigned = new PartnerRequest("POST", "/partners/simulator/events", body, null);
        var genuine = unsigned with { Signature = Sign(unsigned, now) };
        var stored = await service.StoredAsync();

        List<IReadOnlyList<object>> rows = [];
        foreach (var (signature, name, mutate) in PartnerMutations)
        {
            var answer = await SendAsync(mutate(genuine, now));
            rows.Add([signature, name, answer.Status ?? 0, answer.Status == 401 ? "yes" : "NO"]);
        }
        var afterForgeries = await service.StoredAsync();
        var status = await service.RideStatusAsync(booking.IdempotencyKey);

        var accepted = await SendAsync(genuine);
        rows.Add(["v2", "none (the genuine event)", accepted.Status ?? 0, "no"]);
        var applied = await service.StoredAsync();
        var again = await SendAsync(genuine);
        rows.Add(["v2", "the genuine event again, inside the window", again.Status ?? 0, "deduplicated"]);
        Figures.Write("Forged partner events", ["signature", "mutation", "status", "refused"], rows);

        Assert.All(rows.SkipLast(2), row => Assert.Equal("yes", row[3]));
        Assert.Equal("booked", status);
        Assert.Equal(stored, afterForgeries);
        Assert.Equal(200, accepted.Status);
        Assert.Equal("accepted", await service.RideStatusAsync(booking.IdempotencyKey));
        Assert.Equal(200, again.Status);
        Assert.Equal(applied, await service.StoredAsync());
    }
}

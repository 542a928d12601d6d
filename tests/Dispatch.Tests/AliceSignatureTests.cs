using System.Net;
using System.Text;
using Alice.Dispatch.Partners;
using Alice.Signatures;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static Alice.Signatures.AliceSignature;

namespace Alice.Dispatch.Tests;

public class AliceSignatureTests
{
    private const string ExampleSecret = "example-partner-secret-0123456789abcdef";
    private const long T = 1763769600;
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(T);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"eventId\":\"ev_01\",\"type\":\"dropped_off\"}");
    private static readonly Target EventToFirst = new(Direction.PartnerToAlice, "POST", "/partners/first/events");

    [Fact]
    public void The_examples_in_the_partner_api_document_sign_as_documented()
    {
        var document = File.ReadAllText(Path.Combine(RepoRoot(), "src", "Dispatch", "Partners", "partner-api-v1.md"));
        var booking = Encoding.UTF8.GetBytes("{\"reference\":\"4729\"}");
        var v2 = Create(ExampleSecret, T, new Target(Direction.AliceToPartner, "POST", "/v1/bookings"), booking);
        var v1 = V1Signature.Create(ExampleSecret, T, booking);
        var e = Encoding.UTF8.GetBytes("{\"eventId\":\"ev_01\",\"idempotencyKey\":\"3f0c9a52-7d1e-4b8a-9c1f-2e6d5b4a3c21\",\"bookingId\":\"bk_8f3a\",\"type\":\"accepted\"}");
        var fromPartner = Create(ExampleSecret, T, new Target(Direction.PartnerToAlice, "POST", "/partners/taxis-verts/events"), e);

        Assert.Equal("t=1763769600,v2=d5143504be48eecea270950afce4d52314744563c3c14457d8d8081a00ced361", v2);
        Assert.Equal("t=1763769600,v1=3451e12bb9d3794c8bac0255dc1a58641f2a86736139e67d6070cf624e5e03dd", v1);
        Assert.Contains(v2, document);
        Assert.Contains(v1, document);
        Assert.Contains(fromPartner, document);
        Assert.Contains(Encoding.UTF8.GetString(e), document);
    }

    [Fact]
    public void During_a_transition_alice_signs_with_v1_and_v2_and_each_checks_as_its_version()
    {
        var target = new Target(Direction.AliceToPartner, "POST", "/v1/bookings");
        var both = Create(ExampleSecret, T, target, Body, withV1: true);

        Assert.StartsWith(V1Signature.Create(ExampleSecret, T, Body) + ",v2=", both);
        Assert.EndsWith(Create(ExampleSecret, T, target, Body)[$"t={T}".Length..], both);
        Assert.Equal(Check.Valid, Verify(ExampleSecret, both, target, Body, Now, Window));
    }

    [Fact]
    public async Task Alice_sends_v1_beside_v2_only_while_the_partners_transition_lasts()
    {
        var clock = new FakeTimeProvider(Now);
        PartnerOptions.Provider Partner(string name, DateTimeOffset? until) =>
            new() { Name = name, BaseUrl = "https://taxi.example/api", Secret = ExampleSecret, Account = "alice", AcceptV1SignaturesUntil = until };
        var (moving, moved) = (Partner("moving", Now.AddDays(1)), Partner("moved", null));
        var sent = new Recorder();
        var options = Options.Create(new PartnerOptions { Providers = [moving, moved] });
        var client = new PartnerClient(new OneClient(sent), options, clock, new PartnerFailureLog(clock, options, new Operator.OperatorSignals(clock), NullLogger<PartnerFailureLog>.Instance), NullLogger<PartnerClient>.Instance);

        await client.CancelAsync(moving, "bk 1", "ride-1", CancellationToken.None);
        await client.CancelAsync(moved, "bk 1", "ride-1", CancellationToken.None);
        clock.Advance(TimeSpan.FromDays(1));
        await client.CancelAsync(moving, "bk 1", "ride-1", CancellationToken.None);

        // The path as sent, escaped, is what the signature covers.
        var target = new Target(Direction.AliceToPartner, "POST", "/api/v1/bookings/bk%201/cancel");
        Assert.All(sent.Requests, r => Assert.Equal(target.PathAndQuery, r.PathAndQuery));
        Assert.Equal(Create(ExampleSecret, T, target, "{}"u8, withV1: true), sent.Requests[0].Signature);
        Assert.Equal(Create(ExampleSecret, T, target, "{}"u8), sent.Requests[1].Signature);
        Assert.Equal(Create(ExampleSecret, clock.GetUtcNow().ToUnixTimeSeconds(), target, "{}"u8), sent.Requests[2].Signature); // the transition is over
    }

    private sealed class Recorder : HttpMessageHandler
    {
        public List<(string PathAndQuery, string Signature)> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            Requests.Add((request.RequestUri!.PathAndQuery, request.Headers.GetValues(Header).Single()));
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }

    private sealed class OneClient(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
    }

    /// <summary>Each forgery is one change to a genuine event's signature; none passes, v1 alone only within a transition.</summary>
    [Theory]
    [InlineData("genuine", false, "Valid")]
    [InlineData("wrong body", false, "Mismatch")]
    [InlineData("wrong secret", false, "Mismatch")]
    [InlineData("timestamp changed after signing", false, "Mismatch")]
    [InlineData("stale", false, "Stale")]
    [InlineData("from the future", false, "Stale")]
    [InlineData("a request Alice sent, replayed as an event", false, "Mismatch")]
    [InlineData("wrong method", false, "Mismatch")]
    [InlineData("an event for first replayed to second's path", false, "Mismatch")]
    [InlineData("a query added to the path", false, "Mismatch")]
    [InlineData("a right v1 beside a wrong v2", true, "Mismatch")]
    [InlineData("v1 only, after the transition", false, "V1NotAccepted")]
    [InlineData("v1 only, during the transition", true, "Valid")]
    [InlineData("v1 only with a wrong body, during the transition", true, "Mismatch")]
    [InlineData("no signature", true, "Missing")]
    [InlineData("a timestamp without a signature", true, "Missing")]
    public void A_forged_partner_event_signature_is_refused(string forgery, bool acceptV1, string expected)
    {
        var header = forgery switch
        {
            "genuine" => Create(ExampleSecret, T, EventToFirst, Body),
            "wrong body" => Create(ExampleSecret, T, EventToFirst, Encoding.UTF8.GetBytes("{\"eventId\":\"ev_01\",\"type\":\"accepted\"}")),
            "wrong secret" => Create("not-the-partner-secret-0123456789abcdef", T, EventToFirst, Body),
            "timestamp changed after signing" => Create(ExampleSecret, T - 60, EventToFirst, Body).Replace($"t={T - 60}", $"t={T}"),
            "stale" => Create(ExampleSecret, T - 301, EventToFirst, Body),
            "from the future" => Create(ExampleSecret, T + 301, EventToFirst, Body),
            "a request Alice sent, replayed as an event" => Create(ExampleSecret, T, EventToFirst with { Direction = Direction.AliceToPartner }, Body),
            "wrong method" => Create(ExampleSecret, T, EventToFirst with { Method = "PUT" }, Body),
            "an event for first replayed to second's path" => Create(ExampleSecret, T, EventToFirst with { PathAndQuery = "/partners/second/events" }, Body),
            "a query added to the path" => Create(ExampleSecret, T, EventToFirst with { PathAndQuery = "/partners/first/events?x=1" }, Body),
            "a right v1 beside a wrong v2" => V1Signature.Create(ExampleSecret, T, Body) + ",v2=" + new string('0', 64),
            "v1 only, after the transition" or "v1 only, during the transition" => V1Signature.Create(ExampleSecret, T, Body),
            "v1 only with a wrong body, during the transition" => V1Signature.Create(ExampleSecret, T, Encoding.UTF8.GetBytes("{}")),
            "no signature" => "",
            "a timestamp without a signature" => $"t={T}",
            _ => throw new ArgumentOutOfRangeException(nameof(forgery)),
        };
        Assert.Equal(Enum.Parse<Check>(expected), Verify(ExampleSecret, header, EventToFirst, Body, Now, Window, acceptV1));
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Alice.sln"))) return dir.FullName;
        throw new InvalidOperationException("Alice.sln not found.");
    }
}

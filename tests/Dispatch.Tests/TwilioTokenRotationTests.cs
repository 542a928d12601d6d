using System.Collections.Concurrent;
using System.Net;
using Alice.Dispatch.DevPhone;
using Alice.Dispatch.Tests.Support;
using Alice.Signatures;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace Alice.Dispatch.Tests;

/// <summary>
/// Rotating the Twilio auth token without a 403 to a caller: two instances on one database behind a proxy
/// that alternates between them, restarted one by one with the new token as current and the old one as
/// previous, while calls go on, Twilio switching to the new token in the middle of a call; then the old
/// token is dropped and what it signs is refused.
/// </summary>
public class TwilioTokenRotationTests
{
    private const string OldToken = DispatchApp.AuthToken;
    private const string NewToken = "test-twilio-auth-token-after-rotation";

    private static Dictionary<string, string?> Rotating => new() { ["Twilio:AuthToken"] = NewToken, ["Twilio:PreviousAuthToken"] = OldToken };
    private static Dictionary<string, string?> Rotated => new() { ["Twilio:AuthToken"] = NewToken };

    [Fact]
    public async Task Calls_go_on_without_a_403_while_each_instance_restarts_with_the_new_token_and_Twilio_switches_to_it_mid_call()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        var first = new DispatchApp(partner);
        first.CreateClient().Dispose();
        var second = first.OnTheSameDatabase([partner], "Production");
        second.CreateClient().Dispose();
        var twilio = new TwilioSide(OldToken, first, second);
        try
        {
            // A call in progress through the whole rotation, and a whole call in each of its steps.
            var long_ = twilio.Call();
            await long_.StartAsync();
            await twilio.WholeCallAsync();

            // Instance 2, then instance 1, restarted with the new token as current and the old as previous.
            await second.DisposeAsync();
            second = twilio.Replace(1, first.OnTheSameDatabase([partner], "Production", Rotating));
            await long_.WaitAsync();
            await twilio.WholeCallAsync();

            first = twilio.Replace(0, await first.RestartAsync([partner], Rotating));
            await twilio.WholeCallAsync();

            // The token rotated in Twilio's console: from now on Twilio signs with the new one, mid-call too.
            twilio.Token = NewToken;
            await long_.PressAsync('1');
            await twilio.WholeCallAsync();
            for (var silent = 0; long_.AwaitingKey && silent < 10; silent++) await long_.WaitAsync();

            Assert.True(long_.Ended, "the call through the rotation ended");
            Assert.NotNull(long_.CodeHeard());
            Assert.All(twilio.Answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
            Assert.Contains(twilio.Answers, a => a.Instance == 0 && a.Signer == OldToken && a.Token == NewToken);
            Assert.Contains(twilio.Answers, a => a.Instance == 1 && a.Signer == OldToken && a.Token == NewToken);
            Assert.Contains(twilio.Answers, a => a.Instance == 0 && a.Signer == NewToken);
            Assert.Contains(twilio.Answers, a => a.Instance == 1 && a.Signer == NewToken);

            // The rotation's end: the previous token removed, instance by instance; what it signs is refused.
            await second.DisposeAsync();
            second = twilio.Replace(1, first.OnTheSameDatabase([partner], "Production", Rotated));
            first = twilio.Replace(0, await first.RestartAsync([partner], Rotated));
            var form = DispatchApp.TwilioForm("CA" + Guid.NewGuid().ToString("N"));
            foreach (var instance in new[] { first, second })
            {
                Assert.Equal(HttpStatusCode.Forbidden, (await instance.PostWebhook("/twilio/voice", form, DispatchApp.SignatureFor("/twilio/voice", form, OldToken))).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await instance.PostWebhook("/twilio/voice", form, DispatchApp.SignatureFor("/twilio/voice", form, NewToken))).StatusCode);
            }
        }
        finally
        {
            await second.DisposeAsync();
            await first.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_webhook_signed_with_neither_the_current_nor_the_previous_token_is_refused()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner, settings: Rotating);
        var form = DispatchApp.TwilioForm("CA" + Guid.NewGuid().ToString("N"));
        var forged = DispatchApp.SignatureFor("/twilio/voice", form, "a-third-token-nobody-configured");
        Assert.Equal(HttpStatusCode.Forbidden, (await app.PostWebhook("/twilio/voice", form, forged)).StatusCode);
    }

    [Theory]
    [InlineData(NewToken, "must differ from Twilio:AuthToken")]
    [InlineData("   ", "must not be blank")]
    public async Task A_previous_token_equal_to_the_current_one_or_blank_stops_the_start(string previous, string expected)
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner, settings: new() { ["Twilio:AuthToken"] = NewToken, ["Twilio:PreviousAuthToken"] = previous });
        await using var host = app.BuildHost();
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
        Assert.Contains($"Twilio:PreviousAuthToken {expected}", failure.ToString());
    }

    private sealed record Answer(int Instance, string Signer, string Token, HttpStatusCode Status);

    /// <summary>
    /// Twilio and the proxy in front of the instances: every webhook is signed with the token Twilio has now
    /// (re-signed when a call's own signer used another) and sent to the next instance in turn.
    /// </summary>
    private sealed class TwilioSide(string token, params DispatchApp[] instances) : HttpMessageHandler
    {
        private readonly HttpMessageInvoker?[] _invokers = new HttpMessageInvoker?[instances.Length];
        private readonly string[] _tokens = [.. instances.Select(_ => OldToken)];
        private int _next;

        public string Token { get; set; } = token;
        public ConcurrentQueue<Answer> Answers { get; } = new();

        public DispatchApp Replace(int index, DispatchApp instance)
        {
            instances[index] = instance;
            _invokers[index] = null;
            _tokens[index] = instance.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Twilio.TwilioOptions>>().Value.AuthToken;
            return instance;
        }

        public SimulatedCall Call() =>
            new(new HttpClient(this, disposeHandler: false) { BaseAddress = new Uri("http://localhost") }, DispatchApp.PublicBaseUrl, OldToken,
                CampusNumbers.NewCaller(), DispatchApp.AlmaHotline) { PauseScale = 0.1 };

        /// <summary>A call from its first ring to its end: pressing nothing at the language menu, then 1 (the first pickup point).</summary>
        public async Task WholeCallAsync()
        {
            var call = Call();
            await call.PlayAsync("-1");
            Assert.True(call.Ended);
            Assert.NotNull(call.CodeHeard());
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = await request.Content!.ReadAsStringAsync(cancellationToken);
            var form = QueryHelpers.ParseQuery(body).SelectMany(kv => kv.Value.Select(v => KeyValuePair.Create(kv.Key, v ?? ""))).ToList();
            request.Headers.Remove(TwilioWebhookSigner.Header);
            request.Headers.Add(TwilioWebhookSigner.Header, TwilioWebhookSigner.Sign(Token, DispatchApp.PublicBaseUrl + request.RequestUri!.PathAndQuery, form));
            var index = Interlocked.Increment(ref _next) % instances.Length;
            var invoker = _invokers[index] ??= new HttpMessageInvoker(instances[index].Server.CreateHandler());
            var response = await invoker.SendAsync(request, cancellationToken);
            Answers.Enqueue(new Answer(index, Token, _tokens[index], response.StatusCode));
            return response;
        }
    }
}

extern alias twilio;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using twilio::Alice.TwilioSimulator;

namespace Alice.Dispatch.Tests.Support;

/// <summary>The Twilio REST simulator on a free loopback port: the on-call phone, as the service reaches it over real HTTP.</summary>
public sealed class TwilioSimulatorHost : IAsyncDisposable
{
    public const string AccountSid = "AC0123456789abcdef0123456789abcdef";

    private readonly WebApplication _app = TwilioSimulatorApp.Build(["--urls", "http://127.0.0.1:0", "--environment", "Production",
        "--Simulator:AccountSid", AccountSid, "--Simulator:AuthToken", DispatchApp.AuthToken]);

    private static readonly Lazy<Task<TwilioSimulatorHost>> SharedOne = new(StartAsync);

    /// <summary>One for every service under test that does not look at what was sent.</summary>
    public static Task<TwilioSimulatorHost> Shared => SharedOne.Value;

    public string BaseUrl { get; private set; } = "";

    internal Outbox Outbox => _app.Services.GetRequiredService<Outbox>();

    /// <summary>The settings that point a service at this simulator.</summary>
    internal Dictionary<string, string?> Settings => new() { ["Twilio:AccountSid"] = AccountSid, ["Twilio:RestBaseUrl"] = BaseUrl };

    public static async Task<TwilioSimulatorHost> StartAsync()
    {
        var host = new TwilioSimulatorHost();
        host.BaseUrl = await InProcessHost.StartAsync(host._app);
        return host;
    }

    /// <summary>Waits until the simulator holds what the condition asks for (the safety net works in the background).</summary>
    internal Task<IReadOnlyList<Sent>> SentWhen(Func<IReadOnlyList<Sent>, bool> condition, TimeSpan? within = null) =>
        Eventually.Value(() => Task.FromResult(Outbox.All), condition,
            "the Twilio simulator holds what the test waits for", within ?? TimeSpan.FromSeconds(15));

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

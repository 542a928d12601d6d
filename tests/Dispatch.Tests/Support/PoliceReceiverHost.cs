extern alias police;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using police::Alice.PoliceReceiver;

namespace Alice.Dispatch.Tests.Support;

/// <summary>A police zone's receiving end on a free loopback port: it checks each request's signature as a zone must.</summary>
public sealed class PoliceReceiverHost : IAsyncDisposable
{
    public const string Secret = "test-police-zone-secret-0123456789-abcdef";

    private readonly WebApplication _app = PoliceReceiverApp.Build(["--urls", "http://127.0.0.1:0", "--environment", "Production", "--Receiver:Secret", Secret]);

    private static readonly Lazy<Task<PoliceReceiverHost>> SharedOne = new(StartAsync);

    /// <summary>One for every service under test that does not look at what the police received.</summary>
    public static Task<PoliceReceiverHost> Shared => SharedOne.Value;

    public string Url { get; private set; } = "";

    internal Inbox Inbox => _app.Services.GetRequiredService<Inbox>();

    /// <summary>The settings that make this the Alma campus's police zone.</summary>
    internal Dictionary<string, string?> Settings => new() { ["Police:Zones:0:WebhookUrl"] = Url, ["Police:Zones:0:Secret"] = Secret };

    public static async Task<PoliceReceiverHost> StartAsync()
    {
        var host = new PoliceReceiverHost();
        host.Url = await InProcessHost.StartAsync(host._app) + "/police";
        return host;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

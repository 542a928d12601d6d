extern alias simulator;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using simulator::Alice.PartnerSimulator;

namespace Alice.Dispatch.Tests.Support;

/// <summary>The taxi-partner simulator on a free loopback port: the service reaches it over real HTTP.</summary>
public sealed class PartnerSimulatorHost : IAsyncLifetime, IAsyncDisposable
{
    public const string Secret = "test-partner-secret-0123456789-abcdefghij";

    private readonly WebApplication _app;

    public PartnerSimulatorHost() : this("simulator") { }

    /// <param name="name">The partner's name in the service's configuration.</param>
    internal PartnerSimulatorHost(string name)
    {
        Name = name;
        _app = SimulatorApp.Build(["--urls", "http://127.0.0.1:0", "--environment", "Production",
            "--Simulator:Secret", Secret, "--Simulator:Name", name]);
    }

    public string Name { get; }
    public string BaseUrl { get; private set; } = "";

    internal BookingLedger Ledger => _app.Services.GetRequiredService<BookingLedger>();

    /// <summary>The faults in force at this partner, changed live.</summary>
    internal FaultSwitch Faults => _app.Services.GetRequiredService<FaultSwitch>();

    internal IReadOnlyList<ReceivedBooking> Bookings => Ledger.All;

    public async Task InitializeAsync()
    {
        BaseUrl = await InProcessHost.StartAsync(_app);
    }

    /// <summary>Waits until the partner holds a booking with this code (the booking job runs in the background).</summary>
    internal async Task<ReceivedBooking> BookingFor(string code, TimeSpan? within = null) =>
        (await Eventually.Value(() => Task.FromResult(Ledger.All.FirstOrDefault(b => b.Reference == code)), booking => booking is not null,
            $"the partner received a booking with code {code}", within ?? TimeSpan.FromSeconds(15)))!;

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

extern alias simulator;
using System.Text.Json;
using simulator::Alice.PartnerSimulator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Alice.Dispatch.Tests.Support;

/// <summary>The taxi-partner simulator on a real loopback port: the service reaches it over real HTTP.</summary>
public sealed class PartnerSimulatorHost : WebApplicationFactory<simulator::Program>
{
    public const string Secret = "test-partner-secret-0123456789-abcdefghij";

    public PartnerSimulatorHost()
    {
        UseKestrel(0);
        StartServer();
        BaseUrl = ClientOptions.BaseAddress.ToString().TrimEnd('/');
    }

    public string BaseUrl { get; }

    internal BookingLedger Ledger => Services.GetRequiredService<BookingLedger>();

    internal IReadOnlyList<ReceivedBooking> Bookings => Ledger.All;

    /// <summary>Waits until the partner holds a booking with this code (the booking job runs in the background).</summary>
    internal async Task<ReceivedBooking> BookingFor(string code, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(15));
        while (DateTime.UtcNow < deadline)
        {
            var booking = Ledger.All.FirstOrDefault(b => b.Reference == code);
            if (booking is not null) return booking;
            await Task.Delay(20);
        }
        throw new TimeoutException($"The partner received no booking with code {code}. It holds: " +
            JsonSerializer.Serialize(Ledger.All.Select(b => b.Reference)));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Simulator:Secret", Secret);
    }
}

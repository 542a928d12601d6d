namespace Alice.PartnerSimulator;

/// <summary>Builds the simulator; the tests start it in-process on a free loopback port the same way.</summary>
public static class SimulatorApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // Its appsettings.json sits beside the assembly, wherever it is started from.
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Services.AddOptions<SimulatorOptions>().Bind(builder.Configuration.GetSection(SimulatorOptions.Section))
            .Validate(o => o.Secret.Length >= 32, "Simulator:Secret must be the partner secret Alice signs with (32+ characters).")
            .ValidateOnStart();
        builder.Services.AddSingleton<BookingLedger>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(provider => new FaultSwitch(
            provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<SimulatorOptions>>().Value.Faults, provider.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<EventSender>();
        // As a partner's own HTTP client would: a bounded pool of connections to Alice, the events queued for
        // one (a burst of thousands of bookings must not open a connection each; Alice caps them, Server:MaxConcurrentConnections).
        builder.Services.AddHttpClient(EventSender.Client)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { MaxConnectionsPerServer = EventSender.MaxConnections });

        var app = builder.Build();
        app.MapPartnerApi();
        app.MapLedgerViews();
        app.MapFaultControls();
        return app;
    }
}

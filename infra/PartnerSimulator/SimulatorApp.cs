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
        builder.Services.AddHttpClient();

        var app = builder.Build();
        app.MapPartnerApi();
        app.MapLedgerViews();
        app.MapFaultControls();
        return app;
    }
}

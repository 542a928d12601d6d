using Alice.PartnerSimulator;

// A stand-in taxi partner implementing partner API v1 (src/Dispatch/Partners/partner-api-v1.md):
// it checks signatures and idempotency keys like a real partner must, and shows what it received.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddOptions<SimulatorOptions>().Bind(builder.Configuration.GetSection(SimulatorOptions.Section))
    .Validate(o => o.Secret.Length >= 32, "Simulator:Secret must be the partner secret Alice signs with (32+ characters).")
    .ValidateOnStart();
builder.Services.AddSingleton<BookingLedger>();
builder.Services.AddSingleton(TimeProvider.System);

var app = builder.Build();
app.MapPartnerApi();
app.MapLedgerViews();
app.Run();

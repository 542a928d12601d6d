using Alice.Dispatch.Campuses;
using Alice.Dispatch.DevPhone;
using Alice.Dispatch.Partners;
using Alice.Dispatch.Privacy;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Storage;
using Alice.Dispatch.Telephony;

var builder = WebApplication.CreateBuilder(args);
// Nothing the service accepts is large; a smaller cap keeps a flood of big bodies cheap to refuse.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 256 * 1024);

builder.Services
    .AddProblemDetails()
    .AddStorage(builder.Configuration)   // first: its migration runs before the job scheduler starts
    .AddPrivacy(builder.Configuration)
    .AddCampuses(builder.Configuration)
    .AddRides()
    .AddPartners(builder.Configuration)
    .AddTelephony(builder.Configuration)
    .AddHealthChecks();
if (builder.Environment.IsDevelopment()) builder.Services.AddDevPhone();

var app = builder.Build();
app.UseExceptionHandler(); // problem details with no exception text: a message could carry request data
app.UseStatusCodePages();

app.MapHealthChecks("/healthz");
app.MapTelephonyEndpoints();
app.MapPartnerEndpoints();
if (app.Environment.IsDevelopment()) app.MapDevPhoneEndpoints();

app.Run();

using Alice.Accounts;
using Alice.Web;
using Alice.Dispatch.Abuse;
using Alice.Dispatch.Booking;
using Alice.Dispatch.Campuses;
using Alice.Dispatch.Centre;
using Alice.Dispatch.DevPhone;
using Alice.Dispatch.Messages;
using Alice.Dispatch.Operator;
using Alice.Dispatch.PartnerDesk;
using Alice.Dispatch.Partners;
using Alice.Dispatch.Police;
using Alice.Dispatch.Privacy;
using Alice.Dispatch.Retention;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Storage;
using Alice.Dispatch.Telemetry;
using Alice.Dispatch.Telephony;
using Alice.Dispatch.Texting;
using Alice.Dispatch.Totals;
using Alice.Dispatch.Twilio;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;


namespace Alice.Dispatch;

/// <summary>The dispatch service, built from its arguments and settings; Program runs it, tests start it directly too.</summary>
internal static class DispatchHost
{
    public static WebApplication Build(string[] args)
    {
        // The slim builder: no HTTPS or HTTP/3 in Kestrel (nginx terminates TLS; the service listens on loopback),
        // no IIS, no host filtering; what the full one adds would be loaded and held for nothing (docs/benchmarks.md).
        var builder = WebApplication.CreateSlimBuilder(args);
        // The slim builder's console logger is set to its simple format: Logging:Console applies again after it
        // (systemd in Production: each line with its priority first, for the journal).
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(builder.Configuration.GetSection("Logging:Console"));
        builder.Configuration.AddCredentials();
        // Nothing the service accepts is large; a smaller cap keeps a flood of big bodies cheap to refuse.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 256 * 1024).UseServerLimits();

        // Hosted services start in this order, all before the server listens: in Development, first the
        // refusal to listen beyond loopback with the development secrets.
        if (builder.Environment.IsDevelopment()) builder.Services.AddHostedService<DevelopmentSecrets>();
        builder.Services
            // Then the schema is ready before anything else starts, Data Protection's own warm-up (it reads
            // the key ring from the database) among them. The order of the service's own parts is stated in Lifecycle.
            .AddHostedService<Lifecycle>()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<RefusalLog>() // shared by the Twilio webhooks and the partner events
            .AddProblemDetails()
            .AddStorage(builder.Configuration)
            .AddTwilio(builder.Configuration)
            .AddPrivacy(builder.Configuration)
            .AddCampuses(builder.Configuration)
            .AddRides()
            .AddTotals()
            .AddPartners(builder.Configuration)
            .AddStaffPages(builder.Environment.IsDevelopment())
            .AddAccounts(builder.Configuration, services => services.GetRequiredService<Database>().Connections, builder.Environment.IsDevelopment(),
                homes =>
                {
                    homes.ByRole[Roles.Centre] = "/centre";
                    homes.ByRole[Roles.Partner] = "/partner";
                })
            .AddCentre(builder.Configuration)
            .AddPartnerDesk()
            .AddPolice(builder.Configuration)
            .AddBooking(builder.Configuration)
            .AddRetention(builder.Configuration)
            .AddMessages(builder.Configuration)
            .AddAbuse(builder.Configuration)
            .AddTelephony()
            .AddTexting()
            .AddTelemetry(builder.Configuration)
            .AddOperatorAlerts(builder.Configuration);
        // Outside Development, after the schema is ready and before the server listens: no start on what Development left.
        builder.Services.AddDevelopmentLeftoversCheck("dotnet Alice.Dispatch.dll remove-development-leftovers", builder.Environment.IsDevelopment());
        if (builder.Environment.IsDevelopment()) builder.Services.AddDevPhone();
        // Behind nginx: the client's address and scheme, taken only from proxies on loopback (the default
        // known proxies). Signatures do not depend on it: they are checked against Twilio:PublicBaseUrl.
        builder.Services.Configure<ForwardedHeadersOptions>(o => o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto);

        var app = builder.Build();
        app.UseForwardedHeaders();
        app.UseExceptionHandler(); // problem details with no exception text: a message could carry request data
        app.UseStatusCodePages();
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        app.UseAccounts();

        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }); // the process answers
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(Readiness.Tag) });
        app.MapTelephonyEndpoints();
        app.MapTextingEndpoints();
        app.MapPartnerEndpoints();
        app.MapAccountEndpoints();
        app.MapLiveListScript();
        app.MapCentreEndpoints();
        app.MapPartnerDeskEndpoints();
        if (app.Environment.IsDevelopment()) app.MapDevPhoneEndpoints();
        return app;
    }
}

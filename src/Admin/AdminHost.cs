using Alice.Accounts;
using Alice.Web;
using Alice.Admin.Operators;
using Alice.Admin.Storage;
using Alice.Admin.Totals;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Alice.Admin;

/// <summary>The organisers' panel, built from its arguments and settings; Program runs it, tests start it directly too.</summary>
internal static class AdminHost
{
    /// <summary>
    /// The panel's Data Protection application name: not the service's (<c>Alice</c>), so nothing either
    /// protects (a cookie, an authenticator secret, a caller's number) the other can read.
    /// </summary>
    public const string ApplicationName = "Alice.Admin";

    /// <summary>The roles of the panel's own accounts: never Centre (the console's accounts are the service's).</summary>
    public static readonly IReadOnlyList<string> AccountRoles = [Roles.Organiser, Roles.Operator];

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.AddCredentials();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 64 * 1024).UseServerLimits(); // forms only
        builder.Services
            // First of the hosted services: a store that is missing or not migrated stops the start, before
            // Data Protection reads its key ring from it.
            .AddSingleton<StoreOnStart>()
            .AddHostedService(services => services.GetRequiredService<StoreOnStart>())
            .AddSingleton(TimeProvider.System)
            .AddProblemDetails()
            .AddExceptionHandler<StoreUnavailable>()
            .AddAdminOptions(builder.Configuration)
            .AddSingleton<PanelStore>()
            .AddSingleton<PanelMigrator>()
            .AddKeyRing(builder.Configuration, ApplicationName, services => services.GetRequiredService<PanelStore>().Source)
            .AddStaffPages(builder.Environment.IsDevelopment())
            .AddAccounts(builder.Configuration, services => services.GetRequiredService<PanelStore>().Source, builder.Environment.IsDevelopment(), homes =>
            {
                homes.ByRole[Roles.Organiser] = "/totals";
                homes.ByRole[Roles.Operator] = "/totals";
                homes.ShowsAudit = true; // the panel's own audit: what its operators and organisers did
            })
            .AddTotals(builder.Configuration)
            // After the store's check (the first hosted service): no start on what Development left in the store.
            .AddDevelopmentLeftoversCheck("dotnet Alice.Admin.dll remove-development-leftovers", builder.Environment.IsDevelopment());
        builder.Services.Configure<ForwardedHeadersOptions>(o => o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto);

        var app = builder.Build();
        app.UseForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        app.UseAccounts();
        app.MapGet("/", () => Results.Redirect("/totals"));
        app.MapHealthChecks("/healthz");
        app.MapAccountEndpoints();
        app.MapTotalsEndpoints();
        app.MapOperatorEndpoints();
        return app;
    }

    private static IServiceCollection AddAdminOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AdminOptions>().Bind(configuration.GetSection(AdminOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AdminOptions>, AdminOptions.Validator>();
        services.AddOptions<PanelDatabaseOptions>().Bind(configuration.GetSection(PanelDatabaseOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PanelDatabaseOptions>, PanelDatabaseOptions.Validator>();
        services.AddHealthChecks();
        return services;
    }
}

using Alice.Accounts;
using Alice.Admin.Operators;
using Alice.Admin.Storage;
using Alice.Admin.Totals;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Alice.Admin;

/// <summary>The organisers' panel, built from its arguments and settings; Program runs it, tests start it directly too.</summary>
internal static class AdminHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 64 * 1024).UseServerLimits(); // forms only
        builder.Services
            .AddSingleton(TimeProvider.System)
            .AddProblemDetails()
            .AddAdminOptions(builder.Configuration)
            .AddSingleton<AdminDatabase>()
            .AddKeyRing(builder.Configuration, createsKeys: false)
            .AddAccounts(builder.Configuration, services => services.GetRequiredService<AdminDatabase>().Accounts, builder.Environment.IsDevelopment(), homes =>
            {
                homes.ByRole[Roles.Organiser] = "/totals";
                homes.ByRole[Roles.Operator] = "/totals";
                homes.ShowsAudit = false;
            })
            .AddTotals(builder.Configuration);
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
        services.AddOptions<AdminDatabaseOptions>().Bind(configuration.GetSection(AdminDatabaseOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AdminDatabaseOptions>, AdminDatabaseOptions.Validator>();
        services.AddHealthChecks();
        return services;
    }
}

using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Alice.Web;

/// <summary>
/// The staff pages: Razor components rendered on the server (no script of Blazor's, no interactivity), their
/// headers (<see cref="SecurityHeaders"/>), HTTPS only wherever their cookies are secure (everywhere but
/// Development), and an antiforgery token on every post. Over plain http a secure cookie cannot be set, so
/// antiforgery would throw; the request is refused with a 400 that says why instead, before antiforgery
/// reads it. ASP.NET Core checks the token only for endpoints that read a form (and then only when they
/// read it): here every post of a staff page needs it, a bare button (acknowledge, resolve, log out) as much as a form.
/// </summary>
public static class StaffPages
{
    private sealed class Marker;

    /// <summary>
    /// What the pages need: the component renderer, an encoder that leaves letters of every script as they are
    /// (é, not &amp;#xE9;) while it encodes markup, antiforgery cookies, HSTS, and a form that cannot be read
    /// answered 400 in every environment (Development would otherwise throw it up as a 500).
    /// </summary>
    public static IServiceCollection AddStaffPages(this IServiceCollection services, bool development)
    {
        services.AddRazorComponents();
        services.AddSingleton(HtmlEncoder.Create(UnicodeRanges.All));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = false);
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "alice.antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            // Development runs on plain http://localhost; everywhere else every cookie goes over HTTPS only.
            o.Cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        });
        // HSTS on every host name, the service's own included even when it is reached as localhost behind a proxy.
        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.ExcludedHosts.Clear();
        });
        return services;
    }

    /// <summary>The pages' one stylesheet, at <c>/assets/alice.css</c>.</summary>
    public static IEndpointRouteBuilder MapStyleSheet(this IEndpointRouteBuilder app) => app.MapAsset("alice.css", "text/css; charset=utf-8");

    /// <summary>
    /// The script of a page whose list updates by itself (the centre's board, a partner's bookings), at
    /// <c>/assets/live.js</c>: the list's element says where it comes from and what to signal (data-live…).
    /// </summary>
    public static IEndpointRouteBuilder MapLiveListScript(this IEndpointRouteBuilder app) => app.MapAsset("live.js", "text/javascript; charset=utf-8");

    private static IEndpointRouteBuilder MapAsset(this IEndpointRouteBuilder app, string name, string type)
    {
        app.MapGet("/assets/" + name, () => Results.Stream(typeof(StaffPages).Assembly.GetManifestResourceStream("Alice.Web.Assets." + name)!, type))
            .AddEndpointFilter<SecurityHeaders>();
        return app;
    }

    public static TBuilder AsStaffPages<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter<TBuilder, SecurityHeaders>().WithMetadata(new Marker(), new RequireAntiforgeryTokenAttribute());

    /// <summary>
    /// Refuses (400) a post, put, patch or delete to a staff page whose antiforgery token the antiforgery
    /// middleware found missing or wrong: it only records that, and an endpoint reading no form never looked.
    /// </summary>
    public static IApplicationBuilder RefuseForgedStaffPosts(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method)
            || HttpMethods.IsTrace(http.Request.Method) || http.GetEndpoint()?.Metadata.GetMetadata<Marker>() is null)
            return next(http);
        var check = http.Features.Get<IAntiforgeryValidationFeature>();
        return check is { IsValid: true }
            ? next(http)
            : Results.Problem(statusCode: StatusCodes.Status400BadRequest,
                title: "This form has expired or did not come from this site: reload the page and try again.").ExecuteAsync(http);
    });

    /// <summary>Refuses a staff page reached over plain http where its cookies are secure; runs before antiforgery.</summary>
    public static IApplicationBuilder UseHttpsForStaffPages(this IApplicationBuilder app) => app.Use((http, next) =>
        http.Request.IsHttps || http.GetEndpoint()?.Metadata.GetMetadata<Marker>() is null
        || http.RequestServices.GetRequiredService<IOptions<AntiforgeryOptions>>().Value.Cookie.SecurePolicy != CookieSecurePolicy.Always
            ? next(http)
            : Results.Problem(statusCode: StatusCodes.Status400BadRequest,
                title: "The staff pages are served over HTTPS only: open them through the TLS proxy (https://…).").ExecuteAsync(http));
}

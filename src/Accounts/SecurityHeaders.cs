using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Alice.Accounts;

/// <summary>
/// The headers of every staff page: scripts, styles and connections from the service itself only, never
/// framed (no clickjacking of the police action), no sniffing of types, no referrer leaving the site.
/// HSTS is the host's (<c>UseHsts</c> outside Development).
/// </summary>
public sealed class SecurityHeaders : IEndpointFilter
{
    public const string Policy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "media-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var headers = context.HttpContext.Response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        // Nothing kept by the browser or a proxy: a recovery code or the board must not be read back from a cache.
        // (The same values antiforgery sets on pages with a form, so it has nothing to override.)
        headers.CacheControl = "no-cache, no-store";
        headers.Pragma = "no-cache";
        return next(context);
    }
}

/// <summary>
/// The staff pages: their headers (<see cref="SecurityHeaders"/>), HTTPS only wherever their cookies are
/// secure (everywhere but Development), and an antiforgery token on every post. Over plain http a secure
/// cookie cannot be set, so antiforgery would throw; the request is refused with a 400 that says why
/// instead, before antiforgery reads it. ASP.NET Core checks the token only for endpoints that read a
/// form (and then only when they read it): here every post of a staff page needs it, a bare button
/// (acknowledge, resolve, log out) as much as a form.
/// </summary>
public static class StaffPages
{
    private sealed class Marker;

    public static TBuilder AsStaffPages<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter<TBuilder, SecurityHeaders>().WithMetadata(new Marker(), new Microsoft.AspNetCore.Antiforgery.RequireAntiforgeryTokenAttribute());

    /// <summary>
    /// Refuses (400) a post, put, patch or delete to a staff page whose antiforgery token the antiforgery
    /// middleware found missing or wrong: it only records that, and an endpoint reading no form never looked.
    /// </summary>
    internal static IApplicationBuilder RefuseForgedStaffPosts(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method)
            || HttpMethods.IsTrace(http.Request.Method) || http.GetEndpoint()?.Metadata.GetMetadata<Marker>() is null)
            return next(http);
        var check = http.Features.Get<Microsoft.AspNetCore.Antiforgery.IAntiforgeryValidationFeature>();
        return check is { IsValid: true }
            ? next(http)
            : Results.Problem(statusCode: StatusCodes.Status400BadRequest,
                title: "This form has expired or did not come from this site: reload the page and try again.").ExecuteAsync(http);
    });

    /// <summary>Refuses a staff page reached over plain http where its cookies are secure; runs before antiforgery.</summary>
    internal static IApplicationBuilder UseHttpsForStaffPages(this IApplicationBuilder app) => app.Use((http, next) =>
        http.Request.IsHttps || http.GetEndpoint()?.Metadata.GetMetadata<Marker>() is null
        || http.RequestServices.GetRequiredService<IOptions<AntiforgeryOptions>>().Value.Cookie.SecurePolicy != CookieSecurePolicy.Always
            ? next(http)
            : Results.Problem(statusCode: StatusCodes.Status400BadRequest,
                title: "The staff pages are served over HTTPS only: open them through the TLS proxy (https://…).").ExecuteAsync(http));
}

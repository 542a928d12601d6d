using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Alice.Web;

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

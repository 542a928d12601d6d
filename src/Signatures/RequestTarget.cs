using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Alice.Signatures;

/// <summary>The path and query of a request exactly as the sender wrote them, for checking a signature that covers them.</summary>
public static class RequestTarget
{
    /// <summary>As requested, never re-encoded (Twilio and partners sign them as sent); rebuilt only when the server kept no raw target.</summary>
    public static string Raw(HttpContext http)
    {
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget;
        return string.IsNullOrEmpty(raw) || !raw.StartsWith('/')
            ? http.Request.PathBase + http.Request.Path.ToUriComponent() + http.Request.QueryString
            : raw;
    }
}

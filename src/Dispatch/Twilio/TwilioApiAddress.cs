using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Twilio;

/// <summary>
/// Sends what Twilio's library addresses to api.twilio.com to <c>Twilio:RestBaseUrl</c> instead (the Twilio
/// simulator in development and tests): the library builds its URLs on Twilio's own host, and its HTTP client
/// is the seam it offers. Only the scheme, host and port change; the path and query are the library's.
/// </summary>
internal sealed class TwilioApiAddress(IOptions<TwilioOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var target = new Uri(options.Value.RestBaseUrl);
        if (request.RequestUri is { } uri && uri.Host == "api.twilio.com" && target.Authority != uri.Authority)
            request.RequestUri = new UriBuilder(uri) { Scheme = target.Scheme, Host = target.Host, Port = target.Port }.Uri;
        return base.SendAsync(request, cancellationToken);
    }
}

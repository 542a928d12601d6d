using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Alice.Web;

/// <summary>
/// The <c>Server</c> settings: how much of the machine one client may hold. Kestrel's defaults let a slow
/// sender keep a connection for 30 s of headers, and any number of connections open; these cut a trickle
/// off in seconds and cap the connections, so a handful of sockets cannot starve the hotline. Kept here,
/// in the library both hosts share, so the dispatch service and the panel apply the same checked limits.
/// </summary>
public sealed class ServerLimits
{
    public const string Section = "Server";

    /// <summary>
    /// Open connections, idle ones included. Behind nginx, its upstream keep-alive pool (16 a worker in
    /// infra/deploy) stays open all the time: the cap must leave room for it and for the requests in flight.
    /// </summary>
    public int MaxConcurrentConnections { get; set; } = 512;

    /// <summary>WebSocket and other upgraded connections: none of the pages uses one, so none is allowed.</summary>
    public int MaxConcurrentUpgradedConnections { get; set; }

    /// <summary>The slowest a request body may arrive, after <see cref="DataRateGraceSeconds"/>; slower is cut off.</summary>
    public int MinRequestBodyBytesPerSecond { get; set; } = 240;

    /// <summary>The slowest a client may read an answer, after <see cref="DataRateGraceSeconds"/>; slower is cut off.</summary>
    public int MinResponseBytesPerSecond { get; set; } = 240;

    /// <summary>How long a body or answer may run below its minimum rate before the connection is cut (a slow start is not an attack).</summary>
    public int DataRateGraceSeconds { get; set; } = 3;

    /// <summary>All of a request's headers must have arrived within this time.</summary>
    public int RequestHeadersTimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// An idle connection is closed after this. Longer than nginx's upstream keepalive_timeout (60 s by default),
    /// so nginx closes its pooled connections first and never sends a request on one the instance is closing.
    /// </summary>
    public int KeepAliveTimeoutSeconds { get; set; } = 75;

    /// <summary>Every header together (the console's cookies are the largest, about 2 KiB).</summary>
    public int MaxRequestHeadersTotalBytes { get; set; } = 16 * 1024;

    public int MaxRequestHeaderCount { get; set; } = 50;

    /// <summary>Method, path, query and version (Twilio's action URLs are under 200 bytes).</summary>
    public int MaxRequestLineBytes { get; set; } = 4 * 1024;

    internal void ApplyTo(KestrelServerLimits limits)
    {
        var grace = TimeSpan.FromSeconds(DataRateGraceSeconds);
        limits.MaxConcurrentConnections = MaxConcurrentConnections;
        limits.MaxConcurrentUpgradedConnections = MaxConcurrentUpgradedConnections;
        limits.MinRequestBodyDataRate = new MinDataRate(MinRequestBodyBytesPerSecond, grace);
        limits.MinResponseDataRate = new MinDataRate(MinResponseBytesPerSecond, grace);
        limits.RequestHeadersTimeout = TimeSpan.FromSeconds(RequestHeadersTimeoutSeconds);
        limits.KeepAliveTimeout = TimeSpan.FromSeconds(KeepAliveTimeoutSeconds);
        limits.MaxRequestHeadersTotalSize = MaxRequestHeadersTotalBytes;
        limits.MaxRequestHeaderCount = MaxRequestHeaderCount;
        limits.MaxRequestLineSize = MaxRequestLineBytes;
    }

    internal sealed class Validator : IValidateOptions<ServerLimits>
    {
        public ValidateOptionsResult Validate(string? name, ServerLimits o)
        {
            List<string> errors = [];
            void Within(int value, int min, int max, string setting, string why)
            {
                if (value < min || value > max) errors.Add($"Server:{setting} must be between {min} and {max}: {why}.");
            }
            Within(o.MaxConcurrentConnections, 64, 100_000, nameof(MaxConcurrentConnections), "fewer leaves no room beside nginx's keep-alive pool");
            Within(o.MaxConcurrentUpgradedConnections, 0, o.MaxConcurrentConnections, nameof(MaxConcurrentUpgradedConnections), "upgraded connections count among all connections");
            Within(o.MinRequestBodyBytesPerSecond, 1, 1_000_000, nameof(MinRequestBodyBytesPerSecond), "0 would let a body trickle forever");
            Within(o.MinResponseBytesPerSecond, 1, 1_000_000, nameof(MinResponseBytesPerSecond), "0 would let a client hold an answer forever");
            Within(o.DataRateGraceSeconds, 1, 30, nameof(DataRateGraceSeconds), "a slow sender is cut off in seconds, not a minute");
            Within(o.RequestHeadersTimeoutSeconds, 1, 30, nameof(RequestHeadersTimeoutSeconds), "a slow sender is cut off in seconds, not a minute");
            Within(o.KeepAliveTimeoutSeconds, 5, 600, nameof(KeepAliveTimeoutSeconds), "nginx's pool needs its connections kept between requests");
            Within(o.MaxRequestHeadersTotalBytes, 4 * 1024, 64 * 1024, nameof(MaxRequestHeadersTotalBytes), "the console's cookies need a few KiB");
            Within(o.MaxRequestHeaderCount, 20, 200, nameof(MaxRequestHeaderCount), "a browser sends about fifteen");
            Within(o.MaxRequestLineBytes, 1024, 16 * 1024, nameof(MaxRequestLineBytes), "action URLs need a few hundred bytes");
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}

public static class ServerLimitsExtensions
{
    /// <summary>Binds and checks the <c>Server</c> settings at start-up and gives them to Kestrel.</summary>
    public static IWebHostBuilder UseServerLimits(this IWebHostBuilder host) => host.ConfigureServices((context, services) =>
    {
        services.AddOptions<ServerLimits>().Bind(context.Configuration.GetSection(ServerLimits.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ServerLimits>, ServerLimits.Validator>();
        // Kestrel reads its options while the host is built, before start-up validation reports every wrong
        // setting together: so the limits are read unvalidated here, and given to Kestrel only if they pass.
        services.AddOptions<KestrelServerOptions>().Configure(kestrel =>
        {
            var limits = context.Configuration.GetSection(ServerLimits.Section).Get<ServerLimits>() ?? new ServerLimits();
            if (new ServerLimits.Validator().Validate(null, limits).Succeeded) limits.ApplyTo(kestrel.Limits);
        });
        // A body the server could not read (a broken chunk, too slow, too large) surfaces where an endpoint
        // reads it; it is the client's doing, so it is answered with the status Kestrel gave it, not a 500.
        services.Configure<ExceptionHandlerOptions>(o => o.StatusCodeSelector = e => e is Microsoft.AspNetCore.Http.BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError);
    });
}

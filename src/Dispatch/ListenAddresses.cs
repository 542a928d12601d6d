using System.Net;

namespace Alice.Dispatch;

/// <summary>Where the server listens: as its settings say, before it listens, or as it reports, once it does.</summary>
internal static class ListenAddresses
{
    /// <summary>
    /// Every address the settings give the server: <c>urls</c> (ASPNETCORE_URLS, --urls), <c>http_ports</c> and
    /// <c>https_ports</c> (on every interface) and <c>Kestrel:Endpoints:*:Url</c>. None: Kestrel's default, localhost.
    /// </summary>
    public static IReadOnlyList<string> Configured(IConfiguration configuration) =>
    [
        .. Split(configuration["urls"]),
        .. Split(configuration["http_ports"]).Select(port => $"http://*:{port}"),
        .. Split(configuration["https_ports"]).Select(port => $"https://*:{port}"),
        .. configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(endpoint => endpoint["Url"]).OfType<string>(),
    ];

    /// <summary>Whether only this machine can connect to the address: localhost, a loopback IP or a Unix socket.</summary>
    public static bool IsLoopback(string address) => IsLoopback(BindingAddress.Parse(address));

    /// <summary>
    /// The address this machine reaches the server at over loopback (http first): a loopback address it
    /// listens on, or 127.0.0.1 on the port of one that listens on every interface; null when there is none.
    /// </summary>
    public static Uri? Loopback(IEnumerable<string> addresses)
    {
        var listening = addresses.Select(BindingAddress.Parse).Where(a => !a.IsUnixPipe).OrderBy(a => a.Scheme != "http").ToList();
        if (listening.FirstOrDefault(IsLoopback) is { } loopback) return new Uri($"{loopback.Scheme}://{loopback.Host}:{loopback.Port}");
        if (listening.FirstOrDefault(IsEveryInterface) is { } any) return new Uri($"{any.Scheme}://127.0.0.1:{any.Port}");
        return null;
    }

    private static bool IsLoopback(BindingAddress a) =>
        a.IsUnixPipe || a.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (Ip(a) is { } ip && IPAddress.IsLoopback(ip));

    private static bool IsEveryInterface(BindingAddress a) =>
        a.Host is "*" or "+" || (Ip(a) is { } ip && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)));

    private static IPAddress? Ip(BindingAddress a) => IPAddress.TryParse(a.Host.Trim('[', ']'), out var ip) ? ip : null;

    private static string[] Split(string? list) => (list ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

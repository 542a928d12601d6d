namespace Alice.Dispatch;

/// <summary>
/// The secrets of appsettings.Development.json are in the repository: with them anyone can sign Twilio
/// webhooks, partner events and police deliveries. So in Development, before the server listens, the
/// service refuses to start on any address but loopback while one of them is in use. Every one of them
/// starts with "development-only-", which is how they are recognised wherever they come from.
/// </summary>
internal sealed class DevelopmentSecrets(IConfiguration configuration) : IHostedService
{
    private const string Marker = "development-only-";

    public Task StartAsync(CancellationToken ct) =>
        Refusal(configuration) is { } refusal ? throw new InvalidOperationException(refusal) : Task.CompletedTask;

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>Whether the value is one of the public development secrets: it protects nothing real.</summary>
    public static bool IsDevelopmentSecret(string? value) => value?.StartsWith(Marker, StringComparison.Ordinal) == true;

    /// <summary>Why the service must not start with these settings, or null when it may.</summary>
    public static string? Refusal(IConfiguration configuration)
    {
        var inUse = configuration.AsEnumerable()
            .Where(setting => IsDevelopmentSecret(setting.Value)).Select(setting => setting.Key).Order().ToList();
        var exposed = ListenAddresses.Configured(configuration).Where(address => !ListenAddresses.IsLoopback(address)).ToList();
        if (inUse.Count == 0 || exposed.Count == 0) return null;
        return $"The service would listen on {string.Join(", ", exposed)}, beyond this machine, with the development-only secrets of " +
               $"appsettings.Development.json ({string.Join(", ", inUse)}), which anyone can read in the repository and sign requests with. " +
               "Listen on loopback only (--urls http://localhost:5080), or give each of those settings a secret of your own.";
    }
}

using Microsoft.Extensions.Configuration;

namespace Alice.Dispatch.Tests;

/// <summary>
/// Development's secrets are public (appsettings.Development.json): a service using one may listen on
/// loopback only. The decision on the settings; tests/EndToEnd.Tests starts the real process on every interface.
/// </summary>
public class DevelopmentSecretsTests
{
    private const string DevelopmentToken = "development-only-twilio-token";

    [Theory]
    [InlineData("urls", "http://0.0.0.0:5080")]
    [InlineData("urls", "http://*:5080")]
    [InlineData("urls", "http://+:5080")]
    [InlineData("urls", "http://[::]:5080")]
    [InlineData("urls", "http://192.168.1.20:5080")]
    [InlineData("urls", "http://alice.local:5080")] // a host name other than localhost: Kestrel listens on every interface
    [InlineData("urls", "http://localhost:5080;http://0.0.0.0:5081")]
    [InlineData("http_ports", "5080")]
    [InlineData("https_ports", "5443")]
    [InlineData("Kestrel:Endpoints:Http:Url", "http://0.0.0.0:5080")]
    public void A_development_secret_on_an_address_beyond_loopback_is_refused_naming_the_address_and_the_secret(string key, string value)
    {
        var refusal = DevelopmentSecrets.Refusal(Settings(new() { [key] = value, ["Twilio:AuthToken"] = DevelopmentToken }));
        Assert.NotNull(refusal);
        Assert.Contains("with the development-only secrets of appsettings.Development.json (Twilio:AuthToken)", refusal);
        Assert.Contains("Listen on loopback only", refusal);
        Assert.DoesNotContain(DevelopmentToken, refusal); // the setting is named, its value never shown
    }

    [Theory]
    [InlineData(null)] // Kestrel's default: localhost
    [InlineData("http://localhost:5080")]
    [InlineData("http://127.0.0.1:5080;http://[::1]:5081")]
    [InlineData("http://unix:/run/alice/dispatch.sock")]
    public void A_development_secret_on_loopback_only_is_allowed(string? urls) =>
        Assert.Null(DevelopmentSecrets.Refusal(Settings(new() { ["urls"] = urls, ["Twilio:AuthToken"] = DevelopmentToken })));

    [Fact]
    public void Secrets_of_ones_own_may_listen_on_every_interface() =>
        Assert.Null(DevelopmentSecrets.Refusal(Settings(new() { ["urls"] = "http://0.0.0.0:5080", ["Twilio:AuthToken"] = "a-token-of-my-own" })));

    [Fact]
    public void Every_secret_appsettings_development_ships_is_recognised_as_one()
    {
        var development = new ConfigurationBuilder().AddJsonFile(Path.Combine(Repository.Dispatch, "appsettings.Development.json")).Build();
        var refusal = DevelopmentSecrets.Refusal(Settings(new(development.AsEnumerable()) { ["urls"] = "http://0.0.0.0:5080" }));
        Assert.Contains("(Partners:Providers:0:Secret, Police:Zones:0:Secret, Privacy:CallKeySecret, Twilio:AuthToken)", refusal);
    }

    private static IConfiguration Settings(Dictionary<string, string?> settings) => new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
}

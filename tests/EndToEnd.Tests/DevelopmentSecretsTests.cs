namespace Alice.EndToEnd.Tests;

/// <summary>The real process, in Development with appsettings.Development.json's public secrets, asked to listen on every interface.</summary>
public sealed class DevelopmentSecretsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("alice-devsecrets-").FullName;

    [Fact]
    public async Task Development_on_every_interface_with_the_development_secrets_refuses_to_start_before_it_listens()
    {
        using var database = new TestDatabase(_folder);
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => HostProcess.StartAsync("src/Dispatch", "Alice.Dispatch",
            $"http://0.0.0.0:{Repo.FreePort()}", new Dictionary<string, string>(database.EnvironmentVariables) { ["ASPNETCORE_ENVIRONMENT"] = "Development" }));

        Assert.Contains("The host exited at start", failure.Message);
        Assert.Contains("with the development-only secrets of appsettings.Development.json (Partners:Providers:0:Secret, Police:Zones:0:Secret, " +
            "Privacy:CallKeySecret, Twilio:AuthToken)", failure.Message);
        Assert.DoesNotContain("Now listening on", failure.Message);
    }

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}

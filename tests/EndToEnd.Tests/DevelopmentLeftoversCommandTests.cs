namespace Alice.EndToEnd.Tests;

/// <summary>
/// `dotnet Alice.Dispatch.dll remove-development-leftovers`, the real process, on a database Development used
/// (no key-encryption key, the development Centre account infra/run makes).
/// </summary>
public sealed class DevelopmentLeftoversCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("alice-leftovers-").FullName;

    [Fact]
    public async Task The_command_removes_the_unencrypted_keys_and_the_development_account_and_says_what_that_invalidates()
    {
        using var database = new TestDatabase(_folder);
        var development = new Dictionary<string, string>(database.EnvironmentVariables) { ["ASPNETCORE_ENVIRONMENT"] = "Development" };
        Task<string> Run(params string[] args) => HostProcess.RunAsync("src/Dispatch", "Alice.Dispatch", args, development);
        await Run("accounts", "development-centre");
        Assert.Contains("centre", await Run("accounts", "list"));

        var said = await Run("remove-development-leftovers");

        Assert.Matches(@"Removed [1-9]\d* unencrypted key\(s\) of the Data Protection ring\. What they protected can no longer be read", said);
        Assert.Contains("Removed the development account(s) centre", said);
        Assert.DoesNotContain("centre", await Run("accounts", "list"));
        Assert.Contains("Nothing Development left was found", await Run("remove-development-leftovers"));
    }

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}

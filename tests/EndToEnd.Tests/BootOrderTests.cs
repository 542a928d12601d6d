using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Alice.Signatures;
using Xunit.Abstractions;

namespace Alice.EndToEnd.Tests;

/// <summary>
/// A reboot with the database late: the migration and an instance start while PostgreSQL is down, as the
/// units may start them; PostgreSQL comes up afterwards, and the hotline answers without anyone touching
/// anything. The secrets reach both as systemd credentials do, files in CREDENTIALS_DIRECTORY.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // infra/postgres is a bash script for Linux
public sealed class BootOrderTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string TwilioToken = "boot-order-test-twilio-auth-token";
    private readonly PrivateCluster _cluster = new("boot");
    private readonly string _credentials = Directory.CreateTempSubdirectory("alice-credentials-").FullName;
    private readonly string _url = $"http://127.0.0.1:{Repo.FreePort()}";
    private readonly List<(string Name, Process Process, StringBuilder Output)> _processes = [];

    public Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Migration_and_instance_started_before_postgresql_answer_calls_once_it_is_up_without_a_hand()
    {
        // The cluster and its roles exist (an installed server), then it is down, as early in a boot.
        var connection = (await _cluster.StartAsync())["ALICE_POSTGRES"];
        await _cluster.RunAsync("stop");

        var environment = ProductionDispatch.Environment([new("Database__Provider", "Postgres")], _url, "http://127.0.0.1:9", TwilioToken);
        // The secrets as credentials, not in the environment.
        var secrets = new Dictionary<string, string>
        {
            ["Database__ConnectionString"] = connection,
            ["Twilio__AuthToken"] = TwilioToken,
            ["DataProtection__KeyEncryptionKey"] = environment["DataProtection__KeyEncryptionKey"],
            ["Privacy__CallKeySecret"] = environment["Privacy__CallKeySecret"],
            ["Partners__Providers__0__Secret"] = environment["Partners__Providers__0__Secret"],
        };
        foreach (var (name, value) in secrets)
        {
            await File.WriteAllTextAsync(Path.Combine(_credentials, name), value + "\n");
            environment.Remove(name);
        }
        environment["CREDENTIALS_DIRECTORY"] = _credentials;
        environment["Database__WaitSeconds"] = "300";

        var migrate = Start("migrate", environment, "migrate");
        var instance = Start("instance", environment, "--urls", _url);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

        // Both wait, saying so, rather than exit.
        await Eventually.True(() => Said(migrate).Contains("the database does not answer yet"), "migrate says it waits for the database");
        await Eventually.True(() => Said(instance).Contains("the database does not answer yet"), "the instance says it waits for the database");
        Assert.False(migrate.HasExited, $"migrate gave up while the database was down:\n{Said(migrate)}");
        Assert.False(instance.HasExited, $"the instance gave up while the database was down:\n{Said(instance)}");
        Assert.DoesNotContain("Migration  failed", Said(migrate));
        // For the journal: one line per event, its syslog priority first (<4> warning), so journalctl -p filters it.
        Assert.Matches(new Regex(@"^<4>Alice\.Dispatch\.Storage\.DatabaseWait\[0\] Migrating the database: the database does not answer yet \(\w+\); trying again in 3 s", RegexOptions.Multiline), Said(migrate));

        await _cluster.RunAsync("start");

        await Eventually.True(() => migrate.HasExited, "migrate ends once the database answers", TimeSpan.FromSeconds(90));
        Assert.True(migrate.ExitCode == 0, $"migrate failed:\n{Said(migrate)}");
        await Eventually.True(async () => await StatusAsync(http, "/readyz") == HttpStatusCode.OK, "the instance is ready once migrated", TimeSpan.FromSeconds(90));

        List<KeyValuePair<string, string>> form = [new("CallSid", "CA" + Guid.NewGuid().ToString("N")), new("From", CampusNumbers.NewCaller()), new("To", CampusNumbers.Hotline)];
        var request = new HttpRequestMessage(HttpMethod.Post, _url + "/twilio/voice") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioWebhookSigner.Header, TwilioWebhookSigner.Sign(TwilioToken, _url + "/twilio/voice", form));
        var answer = await http.SendAsync(request);
        var twiml = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.StatusCode == HttpStatusCode.OK, twiml);
        Assert.Contains("<Gather", twiml);
        output.WriteLine(Said(migrate));
    }

    private Process Start(string name, Dictionary<string, string> environment, params string[] arguments)
    {
        var folder = Path.Combine(Repo.Root, "src", "Dispatch", "bin", Repository.Configuration, "net10.0");
        var start = new ProcessStartInfo("dotnet", ["Alice.Dispatch.dll", .. arguments])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var process = Process.Start(start)!;
        var said = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (said) said.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (said) said.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add((name, process, said));
        return process;
    }

    private string Said(Process process)
    {
        var said = _processes.Single(p => p.Process == process).Output;
        lock (said) return said.ToString();
    }

    private async Task<HttpStatusCode?> StatusAsync(HttpClient http, string path)
    {
        try { return (await http.GetAsync(_url + path)).StatusCode; }
        catch (HttpRequestException) { return null; } // not listening yet
        catch (TaskCanceledException) { return null; }
    }

    public async Task DisposeAsync()
    {
        foreach (var (_, process, _) in _processes)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }
        await _cluster.RunAsync("reset");
        Directory.Delete(_credentials, recursive: true);
    }
}

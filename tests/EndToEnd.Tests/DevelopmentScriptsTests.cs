using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Alice.EndToEnd.Tests;

/// <summary>infra/run and infra/call, the real scripts, refusing what they cannot do before doing any of it.</summary>
public sealed class DevelopmentScriptsTests
{
    [Fact]
    public async Task Run_with_one_of_its_ports_held_by_another_process_says_which_and_fails_without_starting_anything()
    {
        using var holder = new TcpListener(IPAddress.Loopback, Repo.FreePort());
        holder.Start();
        var held = ((IPEndPoint)holder.LocalEndpoint).Port;

        var (exitCode, output, error) = await RunAsync("run", [], new()
        {
            ["ALICE_PORT"] = Repo.FreePort().ToString(),
            ["ALICE_PARTNER_PORT"] = Repo.FreePort().ToString(),
            ["ALICE_TWILIO_PORT"] = Repo.FreePort().ToString(),
            ["ALICE_POLICE_PORT"] = held.ToString(),
            ["ALICE_ADMIN_PORT"] = Repo.FreePort().ToString(),
        });

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"Port {held} (the police receiver, ALICE_POLICE_PORT) is already in use by", error);
        Assert.DoesNotContain("Alice is running", output);
        Assert.DoesNotContain("Building", output); // refused before anything was built or started
    }

    [Theory]
    [InlineData("12")]
    [InlineData("x")]
    [InlineData("")]
    public async Task Call_refuses_an_argument_that_is_not_exactly_one_key(string argument)
    {
        // No service at that address: the script must refuse before it looks for one.
        var (exitCode, output, error) = await RunAsync("call", ["-", argument], new() { ["ALICE_URL"] = "http://127.0.0.1:9" });

        Assert.NotEqual(0, exitCode);
        Assert.Equal("", output);
        Assert.Contains($"'{argument}' is not one key: each argument is one key (0-9, *, #) or '-' for pressing nothing", error);
    }

    /// <summary>Runs infra/NAME with the arguments; its exit code and outputs, or a failure if it has not ended within 30 seconds.</summary>
    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string name, string[] args, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(Repo.Root, "infra", name), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var script = Process.Start(start)!;
        var output = script.StandardOutput.ReadToEndAsync();
        var error = script.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await script.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            script.Kill(entireProcessTree: true);
            Assert.Fail($"infra/{name} {string.Join(' ', args)} had not ended after 30 seconds");
        }
        return (script.ExitCode, await output, await error);
    }
}

using System.Diagnostics;

namespace Alice.EndToEnd.Tests;

/// <summary>
/// A PostgreSQL cluster of one test's own, through infra/postgres (its own folder and port), never the
/// suite's shared one. The folder is beside the test's, not in it: PostgreSQL runs as its own user, who
/// cannot enter a 0700 folder of root's.
/// </summary>
public sealed class PrivateCluster(string name)
{
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), $"alice-{name}-pg-" + Guid.NewGuid().ToString("N"));
    public int Port { get; } = Repo.FreePort();

    /// <summary>Starts the cluster (made the first time, with infra/postgres's roles); the connection strings it prints, by name (ALICE_POSTGRES, ALICE_POSTGRES_SUPER, …).</summary>
    public async Task<Dictionary<string, string>> StartAsync() =>
        (await RunAsync("start")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1].Trim('\''));

    /// <summary>Runs <c>infra/postgres COMMAND</c> (start, stop, reset) on this cluster; what it printed.</summary>
    public async Task<string> RunAsync(string command)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(Repo.Root, "infra", "postgres"), command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ALICE_PG_DIR"] = Folder;
        start.Environment["ALICE_PG_PORT"] = Port.ToString();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"infra/postgres {command} failed:\n{await output}\n{await errors}");
        return await output;
    }
}

using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Alice.EndToEnd.Tests;

/// <summary>The service's database, which a test can make stuck and then give back, from outside the service.</summary>
public interface IStuckDatabase : IAsyncDisposable
{
    /// <summary>What the fault is, for the figures.</summary>
    string Fault { get; }
    IEnumerable<KeyValuePair<string, string>> EnvironmentVariables { get; }
    Task StartAsync();
    Task BreakAsync();
    Task RepairAsync();
    DbConnection Open();

    /// <summary>The fault of the database this pass of the suite runs on.</summary>
    static IStuckDatabase ForThisRun(string folder) => TestDatabase.IsPostgres ? new StoppedPostgres() : new HeldSqlite(folder);

    internal static IEnumerable<KeyValuePair<string, string>> Settings(string provider, string connectionString) =>
    [
        new("Database__Provider", provider),
        new("Database__ConnectionString", connectionString),
        new("Database__MigrateOnStart", "true"),
    ];
}

/// <summary>SQLite, its file's write lock held by another process: the sqlite3 shell, in a transaction left open.</summary>
public sealed class HeldSqlite(string folder) : IStuckDatabase
{
    private readonly string _file = Path.Combine(folder, "alice.db");
    private Process? _shell;

    public string Fault => "sqlite3 holds the write lock";
    public IEnumerable<KeyValuePair<string, string>> EnvironmentVariables => IStuckDatabase.Settings("Sqlite", $"Data Source={_file}");
    public Task StartAsync() => Task.CompletedTask;

    /// <summary>
    /// Returns once the shell holds the lock (it waits its turn if the service is writing), which it says
    /// in a file of its own: its output to a pipe is not flushed until it exits.
    /// </summary>
    public async Task BreakAsync()
    {
        var held = _file + ".held";
        _shell = Process.Start(new ProcessStartInfo("/usr/bin/sqlite3", [_file]) { RedirectStandardInput = true })!;
        await _shell.StandardInput.WriteLineAsync($".bail on\n.timeout 10000\nBEGIN IMMEDIATE;\n.once {held}\nSELECT 'held';");
        await _shell.StandardInput.FlushAsync();
        var watch = Stopwatch.StartNew();
        while (!(File.Exists(held) && File.ReadAllText(held).Trim() == "held"))
        {
            Assert.False(_shell.HasExited, "sqlite3 could not take the write lock");
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), "sqlite3 did not take the write lock within 15 s");
            await Task.Delay(50);
        }
    }

    public async Task RepairAsync()
    {
        await _shell!.StandardInput.WriteLineAsync("ROLLBACK;\n.quit");
        _shell.StandardInput.Close();
        await _shell.WaitForExitAsync();
    }

    public DbConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={_file};Pooling=False");
        connection.Open();
        return connection;
    }

    public ValueTask DisposeAsync()
    {
        if (_shell is { HasExited: false }) _shell.Kill();
        _shell?.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// PostgreSQL stopped and started again: a private cluster of the test's own (infra/postgres, its own
/// folder and port), never the suite's shared one.
/// </summary>
public sealed class StoppedPostgres : IStuckDatabase
{
    private readonly PrivateCluster _cluster = new("stopped");
    private string _connectionString = "";

    public string Fault => "PostgreSQL stopped";
    public IEnumerable<KeyValuePair<string, string>> EnvironmentVariables => IStuckDatabase.Settings("Postgres", _connectionString);

    public async Task StartAsync()
    {
        var settings = await _cluster.RunAsync("start");
        _connectionString = settings.Split('\n').Single(l => l.StartsWith("ALICE_POSTGRES=")).Split('=', 2)[1].Trim('\'');
    }

    public Task BreakAsync() => _cluster.RunAsync("stop");
    public Task RepairAsync() => _cluster.RunAsync("start");

    public DbConnection Open()
    {
        var connection = new NpgsqlConnection(_connectionString);
        connection.Open();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await _cluster.RunAsync("reset");
    }
}

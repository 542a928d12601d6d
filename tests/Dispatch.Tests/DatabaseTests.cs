using System.Data.Common;
using Alice.Dispatch.Storage;
using Alice.Dispatch.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Tests;

/// <summary>On SQLite, the service's connections and the job store's share one pool yet keep their own durability.</summary>
public sealed class DatabaseTests : IDisposable
{
    private const int Full = 2, Normal = 1;
    private readonly string _folder = Directory.CreateTempSubdirectory("alice-db-").FullName;
    private readonly SqliteDatabase _database;

    public DatabaseTests() =>
        _database = new SqliteDatabase(Options.Create(new DatabaseOptions { ConnectionString = $"Data Source={Path.Combine(_folder, "alice.db")}" }));

    [Fact]
    public async Task The_service_and_the_job_store_each_get_their_own_durability_whichever_opened_before()
    {
        Assert.Equal(Full, await SynchronousOf(_database.Connections));
        Assert.Equal(Normal, await SynchronousOf(_database.JobStore));
        Assert.Equal(Normal, await SynchronousOf(_database.JobStore));
        Assert.Equal(Full, await SynchronousOf(_database.Connections));
        Assert.Equal(Full, await SynchronousOf(_database.Connections));
        Assert.Equal(Normal, await SynchronousOf(_database.JobStore));
    }

    [Fact]
    public async Task Every_open_waits_for_another_writer_for_the_configured_time_instead_of_failing_at_once()
    {
        using var database = new SqliteDatabase(Options.Create(new DatabaseOptions { ConnectionString = $"Data Source={Path.Combine(_folder, "other.db")}", TimeoutSeconds = 7 }));
        await SynchronousOf(database.JobStore);
        await using var connection = await database.OpenAsync();
        Assert.Equal(7_000L, await ScalarAsync(connection, "PRAGMA busy_timeout;"));
    }

    [Fact]
    public async Task The_write_probe_fails_while_another_process_holds_the_write_lock_though_reads_work_and_passes_once_it_is_released()
    {
        var file = Path.Combine(_folder, "held.db");
        using var database = new SqliteDatabase(Options.Create(new DatabaseOptions { ConnectionString = $"Data Source={file}", TimeoutSeconds = 1 }));
        await database.PrepareAsync(CancellationToken.None); // WAL, as the service runs it
        await database.ProbeWriteAsync(CancellationToken.None);
        await using var other = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Pooling=False");
        await other.OpenAsync();
        await using (var hold = other.CreateCommand())
        {
            hold.CommandText = "BEGIN IMMEDIATE;";
            await hold.ExecuteNonQueryAsync();
        }

        Assert.Equal(Full, await SynchronousOf(database.Connections)); // a read still works
        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => database.ProbeWriteAsync(CancellationToken.None));

        await using (var release = other.CreateCommand())
        {
            release.CommandText = "ROLLBACK;";
            await release.ExecuteNonQueryAsync();
        }
        await database.ProbeWriteAsync(CancellationToken.None);
    }

    private static async Task<long> SynchronousOf(DbDataSource source)
    {
        await using var connection = await source.OpenConnectionAsync();
        return await ScalarAsync(connection, "PRAGMA synchronous;");
    }

    private static async Task<long> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public void Dispose()
    {
        _database.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}

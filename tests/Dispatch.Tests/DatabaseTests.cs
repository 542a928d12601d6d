using System.Data.Common;
using Alice.Dispatch.Storage;
using Alice.Dispatch.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Tests;

/// <summary>On SQLite, durable and recoverable connections share one pooled connection yet keep their own durability.</summary>
public sealed class DatabaseTests : IDisposable
{
    private const int Full = 2, Normal = 1;
    private readonly string _folder = Directory.CreateTempSubdirectory("alice-db-").FullName;
    private readonly SqliteDatabase _database;

    public DatabaseTests() =>
        _database = new SqliteDatabase(Options.Create(new DatabaseOptions { ConnectionString = $"Data Source={Path.Combine(_folder, "alice.db")}" }));

    [Fact]
    public async Task Each_open_gets_the_durability_it_asked_for_whichever_came_before()
    {
        Assert.Equal(Full, await SynchronousOf(_database.Durable));
        Assert.Equal(Normal, await SynchronousOf(_database.Recoverable));
        Assert.Equal(Normal, await SynchronousOf(_database.Recoverable));
        Assert.Equal(Full, await SynchronousOf(_database.Durable));
        Assert.Equal(Full, await SynchronousOf(_database.Durable));
        Assert.Equal(Normal, await SynchronousOf(_database.Recoverable));
    }

    [Fact]
    public async Task Every_open_waits_for_another_writer_instead_of_failing_at_once()
    {
        await SynchronousOf(_database.Recoverable);
        await using var connection = await _database.Durable.OpenConnectionAsync();
        Assert.Equal(30_000L, await ScalarAsync(connection, "PRAGMA busy_timeout;"));
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
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}

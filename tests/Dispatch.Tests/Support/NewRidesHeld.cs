using System.Data.Common;
using Dapper;

namespace Alice.Dispatch.Tests.Support;

/// <summary>
/// Another connection standing in the way of the ride writer until disposed: on SQLite it holds the
/// file's write lock (BEGIN IMMEDIATE), as another process could; on PostgreSQL a lock on the rides table
/// that lets reads through and holds every insert until it is released.
/// </summary>
internal sealed class NewRidesHeld : IAsyncDisposable
{
    private readonly DbConnection _connection;

    private NewRidesHeld(DbConnection connection) => _connection = connection;

    public static async Task<NewRidesHeld> HoldAsync(TestDatabase database)
    {
        var connection = database.Open();
        await connection.ExecuteAsync(TestDatabase.IsPostgres ? "BEGIN; LOCK TABLE rides IN SHARE ROW EXCLUSIVE MODE;" : "BEGIN IMMEDIATE;");
        return new NewRidesHeld(connection);
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.ExecuteAsync("ROLLBACK;");
        await _connection.DisposeAsync();
    }
}

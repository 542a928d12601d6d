using System.Data.Common;
using Dapper;

namespace Alice.Dispatch.Tests.Support;

/// <summary>
/// Another connection standing in the way of the ride writer until disposed: on SQLite it holds the
/// file's write lock (BEGIN IMMEDIATE), as another process could; on PostgreSQL the advisory lock the
/// writer takes inside its transaction before it writes new rides.
/// </summary>
internal sealed class NewRidesHeld : IAsyncDisposable
{
    private readonly DbConnection _connection;

    private NewRidesHeld(DbConnection connection) => _connection = connection;

    public static async Task<NewRidesHeld> HoldAsync(TestDatabase database)
    {
        var connection = database.Open();
        await connection.ExecuteAsync(TestDatabase.IsPostgres ? "SELECT pg_advisory_lock(x'414c494345'::bigint);" : "BEGIN IMMEDIATE;");
        return new NewRidesHeld(connection);
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.ExecuteAsync(TestDatabase.IsPostgres ? "SELECT pg_advisory_unlock(x'414c494345'::bigint);" : "ROLLBACK;");
        await _connection.DisposeAsync();
    }
}

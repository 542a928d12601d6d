using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Storage;

/// <summary>Opens connections to the service's database, each set up the same way.</summary>
internal sealed class Database(IOptions<DatabaseOptions> options)
{
    /// <summary>
    /// The connection string as the job store must see it too: a busy database waits (up to 30 s)
    /// instead of failing, because the web requests, the jobs and Quartz share one SQLite file.
    /// </summary>
    public string ConnectionString { get; } = Prepare(options.Value.ConnectionString);

    public static string Prepare(string configured) => new SqliteConnectionStringBuilder(configured)
    {
        DefaultTimeout = 30,
        Pooling = true,
    }.ToString();

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    /// <summary>The file the database lives in, created with its folder if missing.</summary>
    public void EnsureFolder()
    {
        var file = new SqliteConnectionStringBuilder(ConnectionString).DataSource;
        var folder = Path.GetDirectoryName(Path.GetFullPath(file));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
    }
}

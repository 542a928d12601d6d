using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Alice.Testing;

/// <summary>
/// A database of its own for one service under test (shared by the test projects as a linked file): a SQLite file in the test's folder, or, when the
/// suite runs with ALICE_TEST_DATABASE=Postgres (infra/test does both), a fresh database on the private
/// PostgreSQL cluster infra/postgres started, dropped afterwards.
/// </summary>
public sealed class TestDatabase : IDisposable
{
    private readonly string? _postgresName;

    public TestDatabase(string folder)
    {
        if (!IsPostgres)
        {
            ConnectionString = $"Data Source={Path.Combine(folder, "alice.db")}";
            return;
        }
        _postgresName = "alice_test_" + Guid.NewGuid().ToString("N");
        using (var server = new NpgsqlConnection(Server))
        {
            server.Open();
            server.Execute($"CREATE DATABASE {_postgresName};");
        }
        ConnectionString = new NpgsqlConnectionStringBuilder(Server) { Database = _postgresName }.ConnectionString;
    }

    /// <summary>Whether the suite runs on PostgreSQL this time (otherwise SQLite, the default).</summary>
    internal static bool IsPostgres { get; } = Environment.GetEnvironmentVariable("ALICE_TEST_DATABASE") is "Postgres" or "postgres";

    /// <summary>The service's Database:Provider setting for this run.</summary>
    internal static string Provider => IsPostgres ? "Postgres" : "Sqlite";

    /// <summary>A superuser's connection to the private cluster, from infra/postgres (via infra/test).</summary>
    private static string Server => Environment.GetEnvironmentVariable("ALICE_POSTGRES_SUPER")
        ?? throw new InvalidOperationException("ALICE_TEST_DATABASE=Postgres needs ALICE_POSTGRES_SUPER (eval \"$(infra/postgres start)\"); infra/test sets both.");

    public string ConnectionString { get; }

    /// <summary>
    /// How the admin panel reaches the same database: the same file on SQLite; on PostgreSQL, the
    /// <c>alice_admin</c> login infra/postgres made (ALICE_POSTGRES_ADMIN), which has only the grants the migrations give it.
    /// </summary>
    public string AdminConnectionString => _postgresName is null ? ConnectionString
        : new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("ALICE_POSTGRES_ADMIN")
            ?? throw new InvalidOperationException("ALICE_TEST_DATABASE=Postgres needs ALICE_POSTGRES_ADMIN; infra/test sets it.")) { Database = _postgresName }.ConnectionString;

    /// <summary>The same settings as environment variables, for a service started as a process.</summary>
    internal IEnumerable<KeyValuePair<string, string>> EnvironmentVariables => Settings.Select(s => KeyValuePair.Create(s.Key.Replace(":", "__"), s.Value!));

    /// <summary>The settings that point the service at this database.</summary>
    internal IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Database:Provider", Provider),
        new("Database:ConnectionString", ConnectionString),
        new("Database:MigrateOnStart", "true"),
    ];

    /// <summary>A connection straight to the database, outside the service.</summary>
    internal System.Data.Common.DbConnection Open()
    {
        System.Data.Common.DbConnection connection = !IsPostgres
            ? new SqliteConnection(ConnectionString + ";Pooling=False")
            : new NpgsqlConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    /// <summary>
    /// On PostgreSQL, every row of every table as text: its files hold other databases too, so what this
    /// one holds is read through SQL (on SQLite the tests read the file's bytes instead).
    /// </summary>
    internal async Task<List<(string Name, string Text)>> DumpPostgresTablesAsync()
    {
        await using var connection = Open();
        var tables = (await connection.QueryAsync<string>("SELECT tablename FROM pg_tables WHERE schemaname = 'public';")).ToList();
        var dump = new List<(string, string)>();
        foreach (var table in tables)
            dump.Add((table, string.Join('\n', await connection.QueryAsync<string>($"SELECT row_to_json(t)::text FROM \"{table}\" t;"))));
        return dump;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (_postgresName is null) return;
        NpgsqlConnection.ClearAllPools();
        using var server = new NpgsqlConnection(Server);
        server.Open();
        server.Execute($"DROP DATABASE IF EXISTS {_postgresName} WITH (FORCE);");
    }
}

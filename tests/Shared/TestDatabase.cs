using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Alice.Testing;

/// <summary>
/// A database of its own for one service under test: a SQLite file in the test's folder, or, when the
/// suite runs with ALICE_TEST_DATABASE=Postgres (infra/test does both), a fresh database on the private
/// PostgreSQL cluster infra/postgres started, dropped afterwards.
/// </summary>
public sealed class TestDatabase : IDisposable
{
    private readonly string? _postgresName;
    private readonly string _folder;
    private string? _panelName;

    public TestDatabase(string folder)
    {
        _folder = folder;
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
    public static bool IsPostgres { get; } = Environment.GetEnvironmentVariable("ALICE_TEST_DATABASE") is "Postgres" or "postgres";

    /// <summary>The service's Database:Provider setting for this run.</summary>
    public static string Provider => IsPostgres ? "Postgres" : "Sqlite";

    /// <summary>A superuser's connection to the private cluster, from infra/postgres (via infra/test).</summary>
    private static string Server => Environment.GetEnvironmentVariable("ALICE_POSTGRES_SUPER")
        ?? throw new InvalidOperationException("ALICE_TEST_DATABASE=Postgres needs ALICE_POSTGRES_SUPER (eval \"$(infra/postgres start)\"); infra/test sets both.");

    public string ConnectionString { get; }

    /// <summary>
    /// The <c>alice_admin</c> login infra/postgres made (ALICE_POSTGRES_ADMIN) on this database, which has only
    /// the grants the migrations give it (SELECT on published_totals). PostgreSQL only.
    /// </summary>
    public string AdminConnectionString => _postgresName is null ? throw new InvalidOperationException("alice_admin is PostgreSQL's.")
        : AdminLogin(_postgresName);

    /// <summary>
    /// The organisers' panel's own store: a file of its own beside this one on SQLite; on PostgreSQL a
    /// database of its own, owned by alice_admin and reached as alice_admin (made the first time it is asked for).
    /// </summary>
    public string PanelConnectionString
    {
        get
        {
            if (!IsPostgres) return $"Data Source={Path.Combine(_folder, "admin.db")}";
            if (_panelName is null)
            {
                _panelName = "alice_panel_test_" + Guid.NewGuid().ToString("N");
                using var server = new NpgsqlConnection(Server);
                server.Open();
                server.Execute($"CREATE DATABASE {_panelName} OWNER alice_admin;");
            }
            return AdminLogin(_panelName);
        }
    }

    /// <summary>
    /// Where the panel reads the published totals: the file the service publishes into (published.db beside
    /// its own, the service's default) on SQLite; this database as alice_admin on PostgreSQL.
    /// </summary>
    public string PublishedConnectionString => IsPostgres ? AdminConnectionString : $"Data Source={Path.Combine(_folder, "published.db")}";

    /// <summary>The panel's database settings: its own store and the published totals.</summary>
    public IEnumerable<KeyValuePair<string, string?>> PanelSettings =>
    [
        new("Database:Provider", Provider),
        new("Database:ConnectionString", PanelConnectionString),
        new("Database:PublishedConnectionString", PublishedConnectionString),
    ];

    /// <summary>The panel's database settings as environment variables, for a panel started as a process.</summary>
    public IEnumerable<KeyValuePair<string, string>> PanelEnvironmentVariables => PanelSettings.Select(s => KeyValuePair.Create(s.Key.Replace(":", "__"), s.Value!));

    /// <summary>A connection straight to the panel's own store, outside the panel.</summary>
    public System.Data.Common.DbConnection OpenPanel()
    {
        var store = PanelConnectionString;
        System.Data.Common.DbConnection connection = !IsPostgres
            ? new SqliteConnection(store + ";Pooling=False")
            : new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Server) { Database = _panelName }.ConnectionString);
        connection.Open();
        return connection;
    }

    /// <summary>A connection to where the service publishes the totals (its published.db on SQLite, itself on PostgreSQL).</summary>
    public System.Data.Common.DbConnection OpenPublished()
    {
        if (IsPostgres) return Open();
        var connection = new SqliteConnection(PublishedConnectionString + ";Pooling=False");
        connection.Open();
        return connection;
    }

    private static string AdminLogin(string database) =>
        new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("ALICE_POSTGRES_ADMIN")
            ?? throw new InvalidOperationException("ALICE_TEST_DATABASE=Postgres needs ALICE_POSTGRES_ADMIN; infra/test sets it.")) { Database = database }.ConnectionString;

    /// <summary>The same settings as environment variables, for a service started as a process.</summary>
    public IEnumerable<KeyValuePair<string, string>> EnvironmentVariables => Settings.Select(s => KeyValuePair.Create(s.Key.Replace(":", "__"), s.Value!));

    /// <summary>The settings that point the service at this database.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Database:Provider", Provider),
        new("Database:ConnectionString", ConnectionString),
        new("Database:MigrateOnStart", "true"),
    ];

    /// <summary>A connection straight to the database, outside the service.</summary>
    public System.Data.Common.DbConnection Open()
    {
        System.Data.Common.DbConnection connection = !IsPostgres
            ? new SqliteConnection(ConnectionString + ";Pooling=False")
            : new NpgsqlConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    /// <summary>
    /// Every row of every table as text, one line a row, binary columns (the job store's) decoded as
    /// text too, so what they hold is searched like the rest. On PostgreSQL this is how the tests read
    /// what is stored, as its files hold other databases too; on SQLite they read the file's bytes as well.
    /// </summary>
    public async Task<List<(string Name, string Text)>> DumpTablesAsync()
    {
        await using var connection = Open();
        var tables = (await connection.QueryAsync<string>(IsPostgres
            ? "SELECT tablename FROM pg_tables WHERE schemaname = 'public';"
            : "SELECT name FROM sqlite_master WHERE type = 'table';")).ToList();
        var dump = new List<(string, string)>();
        foreach (var table in tables)
        {
            var rows = await connection.QueryAsync($"SELECT * FROM \"{table}\";");
            var lines = rows.Cast<IDictionary<string, object?>>().Select(row => string.Join(" | ", row.Select(kv => kv.Value switch
            {
                byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes),
                null => "",
                var value => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
            })));
            dump.Add((table, string.Join('\n', lines)));
        }
        return dump;
    }

    /// <summary>
    /// Drops the PostgreSQL databases, after closing this test's own pooled connections to them. Only its own:
    /// the suite runs classes side by side, and clearing every pool would close other services' connections too
    /// (on SQLite the last one closed removes the file's -wal and -shm under a running test). A service closes
    /// its own connections when it stops.
    /// </summary>
    public void Dispose()
    {
        if (_postgresName is null) return;
        foreach (var own in new[] { ConnectionString, AdminConnectionString }.Concat(_panelName is null ? [] : [PanelConnectionString]))
            NpgsqlConnection.ClearPool(new NpgsqlConnection(own));
        using var server = new NpgsqlConnection(Server);
        server.Open();
        server.Execute($"DROP DATABASE IF EXISTS {_postgresName} WITH (FORCE);");
        if (_panelName is not null) server.Execute($"DROP DATABASE IF EXISTS {_panelName} WITH (FORCE);");
    }
}

using Alice.Admin.Storage;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Alice.Admin.Tests.Support;

/// <summary>
/// A dispatch service's database as the service makes it (its own migrate command, run as a process: every
/// table, the job store's included, and the first key of its key ring), the panel's own store made by the
/// panel's migrate command, and the admin panel in-process, connected as it would be in production: its own
/// store, and the service's published totals read only (the published file on SQLite, alice_admin on PostgreSQL).
/// </summary>
public sealed class Panel : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>The panel's own key-encryption key.</summary>
    public const string KeyEncryptionKey = "cGFuZWwtdGVzdHMta2V5LWVuY3J5cHRpb24ta2V5LTM=";
    /// <summary>The dispatch service's key-encryption key: another one.</summary>
    public const string ServiceKeyEncryptionKey = "c2VydmljZS10ZXN0cy1rZXktZW5jcnlwdGlvbi1rZXk=";

    public string Folder { get; } = Directory.CreateTempSubdirectory("alice-admin-test-").FullName;
    public TestDatabase Database { get; }

    public Panel() => Database = new TestDatabase(Folder);

    public async Task InitializeAsync()
    {
        await DispatchAsync("migrate");
        // The dispatch service writes its key ring's first key, and an account of its own.
        await DispatchAsync("accounts", "invite", "first-operator", "Operator");
        await MigratePanelAsync(Settings);
        CreateClient().Dispose();
    }

    /// <summary>The panel's settings, as a deployment gives them.</summary>
    public Dictionary<string, string?> Settings => new(Database.PanelSettings)
    {
        ["Admin:PublicBaseUrl"] = "https://panel.example.test",
        ["DataProtection:KeyEncryptionKey"] = KeyEncryptionKey,
        ["Accounts:LoginAttemptsPerMinute"] = "1000",
    };

    /// <summary>What `dotnet Alice.Admin.dll migrate` does, in-process.</summary>
    public static async Task MigratePanelAsync(IReadOnlyDictionary<string, string?> settings)
    {
        await using var tool = AdminHost.Build([.. settings.Select(s => $"--{s.Key}={s.Value}"), "--environment", "Production"]);
        await tool.Services.GetRequiredService<PanelMigrator>().MigrateAsync(CancellationToken.None);
    }

    /// <summary>Publishes totals as the service's publication job would (through the service's login, into its published store), published a moment ago.</summary>
    public async Task PublishAsync(params (string Campus, string Week, string Measure, long Value)[] rows)
    {
        using var connection = Database.OpenPublished();
        if (!TestDatabase.IsPostgres)
            await connection.ExecuteAsync("""
                CREATE TABLE IF NOT EXISTS published_totals (campus TEXT NOT NULL, week TEXT NOT NULL, measure TEXT NOT NULL,
                    value INTEGER NOT NULL, published_at INTEGER NOT NULL, PRIMARY KEY (campus, week, measure));
                """);
        foreach (var row in rows)
            await connection.ExecuteAsync(
                "INSERT INTO published_totals (campus, week, measure, value, published_at) VALUES (@Campus, @Week, @Measure, @Value, @at) ON CONFLICT DO NOTHING;",
                new { row.Campus, row.Week, row.Measure, row.Value, at = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds() });
    }

    /// <summary>Counts in the service's live totals, as the service counts each event.</summary>
    public async Task CountLiveAsync(params (string Campus, string Week, string Measure, long Value)[] rows)
    {
        using var connection = Database.Open();
        foreach (var row in rows)
            await connection.ExecuteAsync(
                "INSERT INTO weekly_totals (campus, week, measure, value) VALUES (@Campus, @Week, @Measure, @Value) " +
                "ON CONFLICT (campus, week, measure) DO UPDATE SET value = weekly_totals.value + excluded.value;",
                new { row.Campus, row.Week, row.Measure, row.Value });
    }

    /// <summary>Accounts of this name in the panel's own store.</summary>
    public async Task<long> PanelAccountCountAsync(string name)
    {
        using var store = Database.OpenPanel();
        return await store.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM accounts WHERE user_name = @name;", new { name });
    }

    /// <summary>Runs the dispatch service's command line on its database (Production settings, as a deployment would).</summary>
    public Task<string> DispatchAsync(params string[] args) => HostProcess.RunAsync("src/Dispatch", "Alice.Dispatch", args,
        new Dictionary<string, string>(Database.EnvironmentVariables.Where(s => s.Key != "Database__MigrateOnStart"))
        {
            ["DataProtection__KeyEncryptionKey"] = ServiceKeyEncryptionKey,
            ["Twilio__PublicBaseUrl"] = "https://alice.example.test",
            ["Twilio__AuthToken"] = "panel-tests-token",
            ["Twilio__AccountSid"] = "AC0123456789abcdef0123456789abcdef",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Database.Dispose();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}

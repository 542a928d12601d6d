using Alice.Admin.Storage;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Alice.Admin.Tests.Support;

/// <summary>
/// A database as the dispatch service makes it (its own migrate command, run as a process: every table,
/// the job store's included, and the first key of its key ring), and the admin panel in-process on it,
/// connected as it would be in production (read-only file and authorizer, or PostgreSQL as alice_admin).
/// </summary>
public sealed class Panel : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string KeyEncryptionKey = "cGFuZWwtdGVzdHMta2V5LWVuY3J5cHRpb24ta2V5LTM=";

    public string Folder { get; } = Directory.CreateTempSubdirectory("alice-admin-test-").FullName;
    public TestDatabase Database { get; }

    public Panel() => Database = new TestDatabase(Folder);

    public async Task InitializeAsync()
    {
        await DispatchAsync("migrate");
        // The dispatch service writes the key ring's first key; the panel only reads the ring.
        await DispatchAsync("accounts", "invite", "first-operator", "Operator");
        CreateClient().Dispose();
    }

    /// <summary>The panel's own connections, as its code gets them.</summary>
    internal AdminDatabase Connections => Services.GetRequiredService<AdminDatabase>();

    /// <summary>Adds to the totals as the dispatch service would (through the service's login, not the panel's).</summary>
    public async Task AddTotalsAsync(params (string Campus, string Week, string Measure, long Value)[] rows)
    {
        using var connection = Database.Open();
        foreach (var row in rows)
            await connection.ExecuteAsync(
                "INSERT INTO weekly_totals (campus, week, measure, value) VALUES (@Campus, @Week, @Measure, @Value) " +
                "ON CONFLICT (campus, week, measure, stripe) DO UPDATE SET value = weekly_totals.value + excluded.value;",
                new { row.Campus, row.Week, row.Measure, row.Value });
    }

    /// <summary>Runs the dispatch service's command line on this database (Production settings, as a deployment would).</summary>
    public Task<string> DispatchAsync(params string[] args) => HostProcess.RunAsync("src/Dispatch", "Alice.Dispatch", args,
        new Dictionary<string, string>(Database.EnvironmentVariables.Where(s => s.Key != "Database__MigrateOnStart"))
        {
            ["DataProtection__KeyEncryptionKey"] = KeyEncryptionKey,
            ["Twilio__PublicBaseUrl"] = "https://alice.example.test",
            ["Twilio__AuthToken"] = "panel-tests-token",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Database:Provider", TestDatabase.Provider);
        builder.UseSetting("Database:ConnectionString", Database.AdminConnectionString);
        builder.UseSetting("Admin:PublicBaseUrl", "https://panel.example.test");
        builder.UseSetting("DataProtection:KeyEncryptionKey", KeyEncryptionKey);
        builder.UseSetting("Accounts:LoginAttemptsPerMinute", "1000");
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Database.Dispose();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}

using Alice.Dispatch.Tests.Support;
using Dapper;
using DbUp;
using DbUp.Engine;

namespace Alice.Dispatch.Tests;

/// <summary>
/// Recovery codes stored by earlier releases (plain SHA-256) cannot be turned into the salted slow hash:
/// the upgrade drops them, and keeps everything else of the account. Their owners ask for a reset.
/// </summary>
public class RecoveryCodeUpgradeTests
{
    private static string Folder => $"Alice.Dispatch.Storage.{TestDatabase.Provider}.Migrations.";

    [Fact]
    public async Task An_upgrade_drops_unsalted_recovery_codes_and_keeps_the_account()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner);
        var before = typeof(Storage.Migrator).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Folder, StringComparison.Ordinal)).Select(n => n[Folder.Length..^".sql".Length])
            .Order(StringComparer.Ordinal).TakeWhile(v => string.CompareOrdinal(v, "V0016") < 0).ToList();
        var target = TestDatabase.IsPostgres
            ? DeployChanges.To.PostgresqlDatabase(app.Database.ConnectionString).JournalToPostgresqlTable("public", "schema_migrations")
            : DeployChanges.To.SqliteDatabase(app.Database.ConnectionString).JournalToSqliteTable("schema_migrations");
        var result = target.WithScripts(before.Select(v => new SqlScript(v,
            new StreamReader(typeof(Storage.Migrator).Assembly.GetManifestResourceStream($"{Folder}{v}.sql")!).ReadToEnd()))).LogToNowhere().Build().PerformUpgrade();
        Assert.True(result.Successful, result.Error?.Message);
        var sha256 = string.Join(';', Enumerable.Range(0, 10).Select(i => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData([(byte)i]))));
        await using (var db = app.Database.Open())
            await db.ExecuteAsync("""
                INSERT INTO accounts (id, user_name, normalized_user_name, role, password_hash, security_stamp, concurrency_stamp,
                    authenticator_key, two_factor_enabled, recovery_codes, lockout_end, access_failed_count, disabled_at, created_at)
                VALUES ('old', 'nina', 'NINA', 'Centre', 'hash', 'stamp', 'concurrency', 'key', 1, @sha256, NULL, 0, NULL, 0);
                """, new { sha256 });

        app.CreateClient().Dispose(); // the service migrates the rest as it starts

        var row = (await app.ColumnAsync<(string, string, long, string)>(
            "SELECT user_name, password_hash, two_factor_enabled, recovery_codes FROM accounts WHERE id = 'old';")).Single();
        Assert.Equal(("nina", "hash", 1L, ""), row);
        Assert.Equal(0, await app.ScalarAsync("SELECT COUNT(*) FROM accounts WHERE authenticator_last_step IS NOT NULL;"));
    }
}

using Alice.Dispatch.Tests.Support;
using Dapper;
using DbUp;

namespace Alice.Dispatch.Tests;

/// <summary>
/// Scripts whose dialects differ only in type names are written once (src/Dispatch/Storage/Migrations, with
/// <c>$bigint$</c>) and built into each dialect's scripts under the names they always had: a database an
/// older release migrated, when each dialect had its own copy, finds every script it ran already run.
/// </summary>
public class MigrationSourceTests
{
    /// <summary>The journal of a database the last release with a copy per dialect left (V0015 was PostgreSQL's alone).</summary>
    private static readonly string[] OldJournal = TestDatabase.IsPostgres
        ? ["V0001_rides", "V0002_partner_lifecycle", "V0003_rebooking", "V0004_partners_by_name", "V0005_data_protection_keys", "V0006_accounts",
           "V0007_alert_actions", "V0008_safety_net", "V0009_police_requests", "V0010_weekly_totals", "V0011_retention", "V0012_sms_consent",
           "V0013_booking_codes", "V0014_totals_stripes", "V0015_published_totals", "V0016_second_factor", "V0017_totals_one_row"]
        : ["V0001_rides", "V0002_partner_lifecycle", "V0003_rebooking", "V0004_partners_by_name", "V0005_data_protection_keys", "V0006_accounts",
           "V0007_alert_actions", "V0008_safety_net", "V0009_police_requests", "V0010_weekly_totals", "V0011_retention", "V0012_sms_consent",
           "V0013_booking_codes", "V0014_totals_stripes", "V0016_second_factor", "V0017_totals_one_row"];

    [Fact]
    public async Task A_database_an_older_release_migrated_upgrades_without_running_any_of_its_scripts_again()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner);
        // As the older release left it: every script it had, each run once and journaled under its name.
        var target = TestDatabase.IsPostgres
            ? DeployChanges.To.PostgresqlDatabase(app.Database.ConnectionString).JournalToPostgresqlTable("public", "schema_migrations")
            : DeployChanges.To.SqliteDatabase(app.Database.ConnectionString).JournalToSqliteTable("schema_migrations");
        var old = target.WithScripts(OldJournal.Select(Script)).LogToNowhere().Build().PerformUpgrade();
        Assert.True(old.Successful, old.Error?.Message);
        var before = await JournalAsync(app.Database);
        Assert.Equal(OldJournal, before.Keys.Order(StringComparer.Ordinal));

        // This release starts on it (and migrates on start): a script under a new name would run again, and fail or add a row.
        var code = (await app.Ride(await app.BookRide()))!.BookingCode;
        await partner.BookingFor(code);

        var after = await JournalAsync(app.Database);
        Assert.All(before, run => Assert.Equal(run.Value, after.GetValueOrDefault(run.Key)));
        Assert.Equal(Shipped(), after.Keys.Order(StringComparer.Ordinal));
        Assert.All(after.Keys.Except(OldJournal), added => Assert.True(string.CompareOrdinal(added, OldJournal[^1]) > 0, $"{added} ran on an old database"));
    }

    [Fact]
    public async Task A_shared_script_gives_each_dialect_its_own_type_names_beside_the_dialect_s_own_scripts()
    {
        var shipped = Shipped();
        // Shared scripts and a dialect's own (V0011: WITHOUT ROWID on SQLite, grants on PostgreSQL) side by side, in one order.
        Assert.Contains("V0006_accounts", shipped);
        Assert.Contains("V0011_retention", shipped);
        Assert.All(shipped, version => Assert.DoesNotContain("$bigint$", Script(version).Contents));

        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner);
        await app.Ride(await app.BookRide());
        await using var db = app.Database.Open();
        // V0001 (rides) and V0006 (accounts, audit_log) are written once for both dialects.
        foreach (var (table, column) in new[] { ("rides", "created_at"), ("accounts", "created_at"), ("audit_log", "at") })
        {
            var type = TestDatabase.IsPostgres
                ? await db.ExecuteScalarAsync<string>("SELECT data_type FROM information_schema.columns WHERE table_name = @table AND column_name = @column;", new { table, column })
                : (await db.QueryAsync<(long Cid, string Name, string Type)>($"SELECT cid, name, type FROM pragma_table_info('{table}');")).Single(c => c.Name == column).Type;
            Assert.Equal(TestDatabase.IsPostgres ? "bigint" : "INTEGER", type);
        }
    }

    private static async Task<Dictionary<string, string>> JournalAsync(TestDatabase database)
    {
        await using var db = database.Open();
        return (await db.QueryAsync<(string Name, string Applied)>("SELECT scriptname, CAST(applied AS TEXT) FROM schema_migrations;"))
            .ToDictionary(r => r.Name, r => r.Applied);
    }

    private static string Folder => $"Alice.Dispatch.Storage.{TestDatabase.Provider}.Migrations.";

    private static List<string> Shipped() => typeof(Storage.Migrator).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Folder, StringComparison.Ordinal)).Select(n => n[Folder.Length..^".sql".Length]).Order(StringComparer.Ordinal).ToList();

    private static DbUp.Engine.SqlScript Script(string version) =>
        new(version, new StreamReader(typeof(Storage.Migrator).Assembly.GetManifestResourceStream($"{Folder}{version}.sql")!).ReadToEnd());
}

using System.Net;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Tests.Support;
using Dapper;
using DbUp;
using DbUp.Engine;

namespace Alice.Dispatch.Tests;

/// <summary>
/// A database made by the previous release's migrations, with rides in it, upgraded by this release:
/// its rides are kept, one still waiting for a partner is booked, and a new call books. On SQLite the
/// previous release also had its own migration runner (table schema_versions), which DbUp adopts.
/// </summary>
public class UpgradeTests
{
    /// <summary>The migrations the previous release shipped (this release adds those from V0004 on).</summary>
    private static readonly string[] Previous = ["V0001_rides", "V0002_partner_lifecycle", "V0003_rebooking"];

    [Fact]
    public async Task A_database_from_the_previous_release_keeps_its_rides_and_can_still_book()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner);
        await CreatePreviousReleaseAsync(app.Database);
        await using (var db = app.Database.Open())
        {
            // As the previous release wrote them: a ride that arrived, and one waiting for its first partner.
            const string insert = """
                INSERT INTO rides (id, booking_code, call_key, campus, pickup_point, language, status, partner, partner_booking_id,
                                   created_at, updated_at, ended_at, partner_index, partner_since, waiting_since, key_generation)
                VALUES (@id, @code, @key, 'alma', 'alma-metro', 'fr', @status, @partner, @booking, @now, @now, @ended, 0, @now, @now, 0);
                """;
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            await db.ExecuteAsync(insert, new { id = "old-arrived", code = "1234", key = "k1", status = "dropped_off", partner = "simulator", booking = "B-1", now, ended = (long?)now });
            await db.ExecuteAsync(insert, new { id = "old-waiting", code = "5678", key = "k2", status = "requested", partner = (string?)null, booking = (string?)null, now, ended = (long?)null });
        }

        var arrived = await app.RideWhen("old-arrived", _ => true);
        Assert.Equal((RideStatus.DroppedOff, "B-1"), (arrived.Status, arrived.PartnerBookingId));
        var waiting = await app.RideWhen("old-waiting", r => r.Status == RideStatus.Booked);
        Assert.Equal("simulator", waiting.Partner);
        Assert.Single(partner.Bookings, b => b.Reference == "5678");

        var code = (await app.Ride(await app.BookRide()))!.BookingCode;
        await partner.BookingFor(code);
        await using var check = app.Database.Open();
        var journal = (await check.QueryAsync<string>("SELECT scriptname FROM schema_migrations ORDER BY scriptname;")).ToList();
        // Every script this release ships has run, the previous release's among them.
        var shipped = Shipped();
        Assert.True(shipped.Count > Previous.Length);
        Assert.Equal(shipped, journal);
    }

    [Fact]
    public async Task Totals_counted_before_they_were_spread_over_stripes_keep_their_values_and_go_on_counting()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner);
        // The release before the stripes: one row a campus, week and measure.
        Migrate(app.Database, Shipped().TakeWhile(v => v != "V0014_totals_stripes"));
        var week = Alice.Totals.Week.Of(DateTimeOffset.UtcNow).Key;
        await using (var db = app.Database.Open())
        {
            await db.ExecuteAsync("INSERT INTO weekly_totals (campus, week, measure, value) VALUES ('alma', '2026-W10', 'arrived', 41);");
            await db.ExecuteAsync("INSERT INTO weekly_totals (campus, week, measure, value) VALUES ('alma', @week, 'rides_booked', 7);", new { week });
        }

        await partner.BookingFor((await app.Ride(await app.BookRide()))!.BookingCode);

        Assert.Equal(41, await app.ScalarAsync("SELECT SUM(value) FROM weekly_totals WHERE week = '2026-W10' AND measure = 'arrived';"));
        Assert.Equal(8, await app.ScalarAsync("SELECT SUM(value) FROM weekly_totals WHERE week = @week AND measure = 'rides_booked';", new { week }));
    }

    [Fact]
    public async Task Totals_spread_over_stripes_are_summed_into_one_row_each_and_go_on_counting()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner);
        // The releases with stripes: a total spread over several rows, read as their sum.
        Migrate(app.Database, Shipped().TakeWhile(v => v != "V0017_totals_one_row"));
        var week = Alice.Totals.Week.Of(DateTimeOffset.UtcNow).Key;
        await using (var db = app.Database.Open())
        {
            const string insert = "INSERT INTO weekly_totals (campus, week, measure, stripe, value) VALUES (@campus, @week, @measure, @stripe, @value);";
            foreach (var (stripe, value) in new[] { (0, 20), (3, 15), (7, 6) })
                await db.ExecuteAsync(insert, new { campus = "alma", week = "2026-W10", measure = "arrived", stripe, value });
            foreach (var (stripe, value) in new[] { (2, 4), (5, 3) }) // no stripe 0
                await db.ExecuteAsync(insert, new { campus = "alma", week, measure = "rides_booked", stripe, value });
        }

        await partner.BookingFor((await app.Ride(await app.BookRide()))!.BookingCode);

        Assert.Equal(41, await app.ScalarAsync("SELECT value FROM weekly_totals WHERE week = '2026-W10' AND measure = 'arrived';"));
        Assert.Equal(8, await app.ScalarAsync("SELECT value FROM weekly_totals WHERE week = @week AND measure = 'rides_booked';", new { week }));
    }

    private static string Folder => $"Alice.Dispatch.Storage.{TestDatabase.Provider}.Migrations.";

    /// <summary>The scripts this release ships for the database under test, by version, in order.</summary>
    private static List<string> Shipped() => typeof(Storage.Migrator).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Folder, StringComparison.Ordinal)).Select(n => n[Folder.Length..^".sql".Length]).Order(StringComparer.Ordinal).ToList();

    private static SqlScript Script(string version) =>
        new(version, new StreamReader(typeof(Storage.Migrator).Assembly.GetManifestResourceStream($"{Folder}{version}.sql")!).ReadToEnd());

    /// <summary>These scripts, run by DbUp into the service's journal, as a release that ended with them left the database.</summary>
    private static void Migrate(TestDatabase database, IEnumerable<string> versions)
    {
        var target = TestDatabase.IsPostgres
            ? DeployChanges.To.PostgresqlDatabase(database.ConnectionString).JournalToPostgresqlTable("public", "schema_migrations")
            : DeployChanges.To.SqliteDatabase(database.ConnectionString).JournalToSqliteTable("schema_migrations");
        var result = target.WithScripts(versions.Select(Script)).LogToNowhere().Build().PerformUpgrade();
        Assert.True(result.Successful, result.Error?.Message);
    }

    /// <summary>The schema exactly as the previous release left it, journal included.</summary>
    private static async Task CreatePreviousReleaseAsync(TestDatabase database)
    {
        if (TestDatabase.IsPostgres)
        {
            Migrate(database, Previous);
            return;
        }
        // The first releases' own runner: each script, then its version in schema_versions.
        await using var db = database.Open();
        await db.ExecuteAsync("CREATE TABLE schema_versions (version TEXT PRIMARY KEY, applied_at INTEGER NOT NULL);");
        foreach (var script in Previous.Select(Script))
        {
            await db.ExecuteAsync(script.Contents);
            await db.ExecuteAsync("INSERT INTO schema_versions (version, applied_at) VALUES (@version, 0);", new { version = script.Name });
        }
    }
}

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
        var dialect = TestDatabase.Provider;
        var shipped = typeof(Storage.Migrator).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith($"Alice.Dispatch.Storage.{dialect}.Migrations."))
            .Select(n => n[$"Alice.Dispatch.Storage.{dialect}.Migrations.".Length..^".sql".Length]).Order().ToList();
        Assert.True(shipped.Count > Previous.Length);
        Assert.Equal(shipped, journal);
    }

    /// <summary>The schema exactly as the previous release left it, journal included.</summary>
    private static async Task CreatePreviousReleaseAsync(TestDatabase database)
    {
        var dialect = TestDatabase.IsPostgres ? "Postgres" : "Sqlite";
        var assembly = typeof(Storage.Migrator).Assembly;
        var scripts = Previous.Select(v => new SqlScript(v, new StreamReader(assembly.GetManifestResourceStream($"Alice.Dispatch.Storage.{dialect}.Migrations.{v}.sql")!).ReadToEnd())).ToList();
        if (TestDatabase.IsPostgres)
        {
            var result = DeployChanges.To.PostgresqlDatabase(database.ConnectionString).JournalToPostgresqlTable("public", "schema_migrations")
                .WithScripts(scripts).LogToNowhere().Build().PerformUpgrade();
            Assert.True(result.Successful, result.Error?.Message);
            return;
        }
        // The first releases' own runner: each script, then its version in schema_versions.
        await using var db = database.Open();
        await db.ExecuteAsync("CREATE TABLE schema_versions (version TEXT PRIMARY KEY, applied_at INTEGER NOT NULL);");
        foreach (var script in scripts)
        {
            await db.ExecuteAsync(script.Contents);
            await db.ExecuteAsync("INSERT INTO schema_versions (version, applied_at) VALUES (@version, 0);", new { version = script.Name });
        }
    }
}

using System.Diagnostics;
using System.Net;
using Alice.Accounts;
using Alice.Dispatch.Booking;
using Alice.Dispatch.DevPhone;
using Alice.Dispatch.Messages;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Tests.Support;
using Alice.Signatures;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Alice.Dispatch.Tests;

/// <summary>
/// The restore drill, with infra/deploy/backup and infra/deploy/restore as an operator runs them: a backup
/// taken while a ride is under way and its caller's number held, the database lost, the backup restored,
/// the service started again. Staff log in with the authenticators they enrolled (the key ring came
/// back); the partner is asked nothing more and the caller is texted nothing more (the partner and
/// Twilio simulators count), as the ride and the number were never in the backup.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // Unix file modes
public class BackupRestoreTests
{
    private const string CallerNumber = "+32475123988";

    [Fact]
    public async Task After_the_database_is_lost_and_restored_staff_log_in_with_their_authenticators_and_no_ride_is_booked_or_texted_twice()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var twilio = await TwilioSimulatorHost.StartAsync();
        var settings = new Dictionary<string, string?>(twilio.Settings) { ["Messages:SendEverySeconds"] = "1" };
        var app = new DispatchApp(partner, settings: settings);
        app.CreateClient().Dispose();
        DispatchApp? restored = null;
        try
        {
            string name, secret;
            using (var staff = await Staff<Program>.LoggedInAsync(app, Roles.Centre)) (name, secret) = (staff.Name, staff.Secret!);

            // The partner answers late: the backup is taken while the ride waits for it, the number held.
            partner.Faults.Set(new() { LatencyMs = 2000 });
            var call = app.Call(from: CallerNumber);
            var playing = PressTwoAfterTheCode(call);
            await Eventually.True(async () => await app.ScalarAsync("SELECT COUNT(*) FROM sms_consents;") == 1, "the caller's key press is held");
            var backup = await RunAsync(app.Database, "backup", ["--dir", Path.Combine(app.Folder, "backups"), .. Databases(app.Database)]);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(backup));

            // Then the ride is booked and the caller texted, once.
            await playing;
            var ride = await app.RideWhen(await app.RideOf(call), r => r.Status == RideStatus.Booked);
            await twilio.SentWhen(all => all.Count(s => s.To == CallerNumber) == 1);
            var askedBefore = partner.Ledger.Attempts;

            // The database is lost, and the backup restored, the service stopped meanwhile.
            await app.StopAsync();
            Lose(app.Database);
            await RunAsync(app.Database, "restore", TestDatabase.IsPostgres ? [backup] : ["--sqlite", backup, .. Databases(app.Database)[1..]]);
            restored = await app.RestartAsync([partner], settings);

            // The person logs in with the authenticator enrolled before the loss (the next code: the last one was used).
            using (var again = new Staff<Program>(restored))
            {
                var login = await again.LogInAsync(name, code: Totp.CodeAt(secret, Totp.Step(DateTimeOffset.UtcNow) + 1));
                Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
                Assert.Equal("/centre", login.Headers.Location?.OriginalString);
            }

            // The booking sweep and the messenger each ran twice after the restore: nothing more was asked or sent.
            var sweeps = await JobRuns.WatchAsync(restored, BookingSweepJob.Key);
            await sweeps.RunNowAsync();
            await sweeps.RunNowAsync();
            await (await JobRuns.WatchAsync(restored, CarMessageJob.Key)).EndedAsync(2);
            Assert.Single(partner.Bookings, b => b.Reference == ride.BookingCode);
            Assert.Equal(askedBefore, partner.Ledger.Attempts);
            Assert.Single(twilio.Outbox.All, s => s.To == CallerNumber);
            Assert.Equal(0, await restored.ScalarAsync("SELECT COUNT(*) FROM sms_consents;"));
            Assert.Equal(0, await restored.ScalarAsync("SELECT COUNT(*) FROM rides;"));
            if (TestDatabase.IsPostgres) await OwnersAndGrantsCameBackAsync(restored.Database);
        }
        finally
        {
            if (restored is not null) await restored.DisposeAsync();
            else await app.DisposeAsync();
        }
    }

    /// <summary>
    /// The tables a backup holds whole: what must outlive the retention window (the script names the rest).
    /// On SQLite the published totals are a file of their own, which the service publishes again.
    /// </summary>
    private static readonly string[] Kept =
    [
        "schema_migrations", "accounts", "audit_log", "data_protection_keys", "weekly_totals", "twilio_deletions",
        "qrtz_locks", "qrtz_calendars", .. TestDatabase.IsPostgres ? ["published_totals"] : Array.Empty<string>(),
    ];

    [Fact]
    public async Task Every_table_of_the_service_is_either_kept_or_left_out_of_backups_by_name()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner);
        app.CreateClient().Dispose();
        var tables = (await app.Database.DumpTablesAsync()).Select(t => t.Name.ToLowerInvariant()).Where(t => !t.StartsWith("sqlite_")).Order();

        var script = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "infra", "deploy", "backup"));
        var leftOut = System.Text.RegularExpressions.Regex.Matches(script, @"^(?:ride_bound|jobs)=\(([^)]*)\)", System.Text.RegularExpressions.RegexOptions.Multiline)
            .SelectMany(m => m.Groups[1].Value.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Contains("rides", leftOut);
        Assert.Equal(Kept.Concat(leftOut).Order(), tables);
    }

    [Fact]
    public async Task Backups_older_than_the_kept_window_are_deleted_and_the_new_one_is_the_owners_only()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner);
        app.CreateClient().Dispose();
        var folder = Path.Combine(app.Folder, "backups");
        Directory.CreateDirectory(folder);
        var old = Path.Combine(folder, "alice-20261201T020000Z.tar");
        var recent = Path.Combine(folder, "alice-20261206T020000Z.tar");
        await File.WriteAllTextAsync(old, "");
        await File.WriteAllTextAsync(recent, "");
        File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddHours(-49));
        File.SetLastWriteTimeUtc(recent, DateTime.UtcNow.AddHours(-47));

        var backup = await RunAsync(app.Database, "backup", ["--dir", folder, "--keep-hours", "48", .. Databases(app.Database)]);

        Assert.Equal([backup, recent], Directory.GetFiles(folder).Order().Reverse());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(backup));
    }

    private static async Task PressTwoAfterTheCode(SimulatedCall call)
    {
        await call.StartAsync();
        await call.WaitAsync();
        await call.PressAsync('1');
        await call.PressAsync('2');
    }

    /// <summary>PostgreSQL: the panel's database is back, alice_admin's, and alice_admin reads the published totals again (its grant came back).</summary>
    private static async Task OwnersAndGrantsCameBackAsync(TestDatabase database)
    {
        var panel = new NpgsqlConnectionStringBuilder(database.PanelConnectionString).Database;
        await using (var server = database.Open())
            Assert.Equal("alice_admin", await server.ExecuteScalarAsync<string>("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = @panel;", new { panel }));
        await using var admin = new NpgsqlConnection(database.AdminConnectionString);
        await admin.OpenAsync();
        Assert.Equal(0, await admin.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM published_totals;"));
    }

    /// <summary>
    /// What the commands are given: the service's and the panel's databases on PostgreSQL; on SQLite the
    /// service's file, no panel ('-': the panel does not run here).
    /// </summary>
    private static string[] Databases(TestDatabase database) => TestDatabase.IsPostgres
        ? [new NpgsqlConnectionStringBuilder(database.ConnectionString).Database!, new NpgsqlConnectionStringBuilder(database.PanelConnectionString).Database!]
        : ["--sqlite", new SqliteConnectionStringBuilder(database.ConnectionString).DataSource, "-"];

    /// <summary>The database gone: the service's and the panel's dropped (PostgreSQL), or the service's files deleted (SQLite).</summary>
    private static void Lose(TestDatabase database)
    {
        // The stopped service closed its own connections (SQLite's last one removes the -wal and -shm);
        // on PostgreSQL the test's own idle ones, to databases about to be dropped, go too.
        if (!TestDatabase.IsPostgres)
        {
            var file = new SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
            foreach (var path in new[] { file, file + "-wal", file + "-shm" }) File.Delete(path);
            return;
        }
        NpgsqlConnection.ClearAllPools();
        using var server = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = "postgres" }.ConnectionString);
        server.Open();
        foreach (var name in Databases(database)) server.Execute($"DROP DATABASE {name} WITH (FORCE);");
    }

    /// <summary>Runs infra/deploy/COMMAND as an operator would (PostgreSQL: the login of libpq's variables); its last line of output.</summary>
    private static async Task<string> RunAsync(TestDatabase database, string command, string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(Repository.Root, "infra", "deploy", command))
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        if (TestDatabase.IsPostgres)
        {
            var login = new NpgsqlConnectionStringBuilder(database.ConnectionString);
            start.Environment["PGHOST"] = login.Host;
            start.Environment["PGPORT"] = login.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            start.Environment["PGUSER"] = login.Username;
            start.Environment["PGPASSWORD"] = login.Password;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"infra/deploy/{command} exited with {process.ExitCode}: {await errors}");
        return (await output).Trim().Split('\n')[^1];
    }
}

using System.Runtime.Versioning;
using Alice.Dispatch.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Alice.Dispatch.Tests;

/// <summary>
/// On SQLite no other user of the machine can read the rides: the service makes the database's folder 0700
/// and its files 0600, whatever the umask. On SQLite in both passes of the suite: these are SQLite's files.
/// </summary>
[UnsupportedOSPlatform("windows")] // Unix file modes
public sealed class DatabaseFileTests(PartnerSimulatorHost partner) : IClassFixture<PartnerSimulatorHost>, IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = OwnerOnly | UnixFileMode.UserExecute;
    private const UnixFileMode ReadableByAll = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private static readonly string[] Files = ["alice.db", "alice.db-wal", "alice.db-shm"];

    private readonly string _root = Directory.CreateTempSubdirectory("alice-files-").FullName;
    private string Folder => Path.Combine(_root, "data");

    [Fact]
    public async Task On_a_fresh_folder_the_folder_is_made_0700_and_the_database_its_wal_and_its_shm_0600()
    {
        await using var app = OnSqliteIn(Folder);
        // A ride written through the WAL: the -wal and -shm files exist while the service runs.
        var booked = await app.PostWebhook("/twilio/pickup?lang=fr&try=1", DispatchApp.TwilioForm("CA" + Guid.NewGuid().ToString("N"), digits: "1"));
        Assert.Contains("code est", await booked.Content.ReadAsStringAsync());
        // Another test's database let go meanwhile, as happens while the suite runs its classes side by side:
        // that must not close this service's connections (the last one closed removes the -wal and -shm).
        new TestDatabase(Directory.CreateTempSubdirectory("alice-neighbour-").FullName).Dispose();

        Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(Folder));
        Assert.All(Files, name => Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(Folder, name))));
    }

    [Fact]
    public async Task Once_the_service_has_stopped_its_database_is_one_file_holding_every_ride_with_no_wal_or_shm_beside_it()
    {
        await using (var app = OnSqliteIn(Folder))
        {
            var booked = await app.PostWebhook("/twilio/pickup?lang=fr&try=1", DispatchApp.TwilioForm("CA" + Guid.NewGuid().ToString("N"), digits: "1"));
            Assert.Contains("code est", await booked.Content.ReadAsStringAsync());
            Assert.True(File.Exists(Path.Combine(Folder, "alice.db-wal")), "the ride went through the WAL while the service ran");
        }

        // A copy of the file alone, made after a stop (by hand, or by a backup), then holds the ride.
        Assert.Equal(["alice.db"], Directory.GetFiles(Folder).Select(Path.GetFileName).Where(n => n!.StartsWith("alice.db", StringComparison.Ordinal)));
        await using var stopped = new SqliteConnection($"Data Source={Path.Combine(Folder, "alice.db")};Mode=ReadOnly;Pooling=False");
        await stopped.OpenAsync();
        await using var count = stopped.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM rides;";
        Assert.Equal(1L, await count.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_database_an_earlier_release_left_readable_by_all_is_made_private_at_start()
    {
        Directory.CreateDirectory(Folder);
        File.SetUnixFileMode(Folder, ReadableByAll | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        // Another connection keeps the database in WAL mode, its -wal and -shm open, as a crash would leave them.
        await using var earlier = new SqliteConnection($"Data Source={Path.Combine(Folder, "alice.db")};Pooling=False");
        await earlier.OpenAsync();
        await using (var wal = earlier.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE earlier (x); INSERT INTO earlier VALUES (1);";
            await wal.ExecuteNonQueryAsync();
        }
        foreach (var name in Files) File.SetUnixFileMode(Path.Combine(Folder, name), ReadableByAll);

        await using var app = OnSqliteIn(Folder);
        app.CreateClient().Dispose();

        Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(Folder));
        Assert.All(Files, name => Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(Folder, name))));
    }

    private DispatchApp OnSqliteIn(string folder) => new(partner, settings: new()
    {
        ["Database:Provider"] = "Sqlite",
        ["Database:ConnectionString"] = $"Data Source={Path.Combine(folder, "alice.db")}",
    });

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}

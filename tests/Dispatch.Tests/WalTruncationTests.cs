using Alice.Dispatch.Storage;
using Alice.Dispatch.Tests.Support;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Alice.Dispatch.Tests;

/// <summary>
/// On SQLite an erasure is only done once the WAL is truncated: until then the erased bytes are in the file's
/// old page or in the WAL. Another process reading at that moment (the panel, an operator's sqlite3) keeps the
/// checkpoint from finishing; the service tries again until it does. SQLite in both passes: these are its files.
/// </summary>
public sealed class WalTruncationTests(PartnerSimulatorHost partner) : IClassFixture<PartnerSimulatorHost>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("alice-wal-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task A_reader_holding_a_transaction_through_an_erasure_delays_the_truncation_but_the_erased_bytes_still_leave_every_file()
    {
        var folder = _folder;
        await using var app = new DispatchApp(partner, settings: new()
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(folder, "alice.db")}",
            // One checkpoint waits for a reader at most this long: the reader below holds on for longer.
            ["Database:TimeoutSeconds"] = "1",
        });
        app.CreateClient().Dispose();
        var database = app.Services.GetRequiredService<Database>();
        var ciphertext = "CfDJ8-erased-" + Guid.NewGuid().ToString("N");

        // Held for a while (a Twilio record to delete, encrypted), so it is in the database file itself.
        await using (var connection = await database.OpenAsync())
            await connection.ExecuteAsync("INSERT INTO twilio_deletions (id, resource, sid_protected, next_attempt_at) VALUES ('wal-test', 'Calls', @ciphertext, @later);",
                new { ciphertext, later = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds() }); // not the deletion job's to take now
        await database.ScrubDeletedAsync(default);
        Assert.NotNull(AtRest.WhereIs(DatabaseFiles.Read(folder), ciphertext));

        // Another process reads, its transaction open, while the service erases the row and scrubs.
        using var reader = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(folder, "alice.db")};Pooling=False");
        reader.Open();
        await reader.ExecuteAsync("BEGIN;");
        Assert.Equal(1L, await reader.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM twilio_deletions;"));
        await using (var connection = await database.OpenAsync())
            Assert.Equal(1, await connection.ExecuteAsync("DELETE FROM twilio_deletions WHERE id = 'wal-test';"));
        var scrub = database.ScrubDeletedAsync(default);
        // What the files hold the moment the erasure's scrub is over: it must not be over while they hold the bytes.
        var whenOver = scrub.ContinueWith(_ => AtRest.WhereIs(DatabaseFiles.Read(folder), ciphertext), TaskContinuationOptions.ExecuteSynchronously);
        await Task.Delay(TimeSpan.FromSeconds(4)); // well beyond one checkpoint's wait for the reader
        await reader.ExecuteAsync("COMMIT;");
        reader.Close();

        Assert.Null(await whenOver.WaitAsync(TimeSpan.FromSeconds(15)));
        await scrub;
        Assert.Null(AtRest.WhereIs(DatabaseFiles.Read(folder), ciphertext));
    }
}

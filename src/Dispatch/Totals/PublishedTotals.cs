using System.Data.Common;
using System.Globalization;
using Alice.Dispatch.Storage;
using Alice.Totals;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Totals;

/// <summary>
/// When a week's totals are published: at the start (00:00, Brussels) of the Monday of the week after next,
/// so a week is shown only once it has ended and another whole week has passed. Once published a week is
/// frozen: whatever is counted in it afterwards never reaches the panel. Organisers then see one set of
/// figures a week, after the fact, instead of counts that move as each event happens.
/// </summary>
internal static class PublicationSchedule
{
    /// <summary>When this week is published.</summary>
    public static DateTimeOffset PublishedAt(Week week)
    {
        var monday = week.Monday.AddDays(14).ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(monday, Week.Brussels), TimeSpan.Zero);
    }

    /// <summary>The last week published at this instant: the one two weeks before the current week (by calendar days, so a change of clocks moves nothing).</summary>
    public static Week LastDue(DateTimeOffset now)
    {
        var monday = Week.Of(now).Monday.AddDays(-14).ToDateTime(TimeOnly.MinValue);
        return new Week(ISOWeek.GetYear(monday), ISOWeek.GetWeekOfYear(monday));
    }
}

/// <summary>
/// Copies every week that has come due, all campuses and measures, from the live <c>weekly_totals</c>
/// into <c>published_totals</c>, insert only: a week already published is never written
/// again, nor any week before the last published one. The panel reads nothing else.
/// </summary>
internal sealed class TotalsPublisher(Database database, IOptions<DatabaseOptions> databaseOptions, TimeProvider clock)
{
    private const string SqliteTable = """
        CREATE TABLE IF NOT EXISTS published_totals (
            campus       TEXT    NOT NULL,
            week         TEXT    NOT NULL,
            measure      TEXT    NOT NULL,
            value        INTEGER NOT NULL,
            published_at INTEGER NOT NULL,
            PRIMARY KEY (campus, week, measure)
        );
        """;

    /// <summary>Publishes what is due; returns how many rows it wrote.</summary>
    public async Task<int> PublishDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var lastDue = PublicationSchedule.LastDue(now).Key;
        await using var published = await OpenPublishedAsync(ct);
        await using var tx = await published.BeginTransactionAsync(ct);
        // Week keys (2026-W07) sort as the weeks do. '' when nothing is published yet.
        var watermark = await published.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT MAX(week) FROM published_totals;", transaction: tx, cancellationToken: ct)) ?? "";
        List<(string Campus, string Week, string Measure, long Value)> due;
        await using (var service = await database.OpenAsync(ct))
            due = (await service.QueryAsync<(string, string, string, long)>(new CommandDefinition(
                "SELECT campus, week, measure, value FROM weekly_totals WHERE week > @watermark AND week <= @lastDue;",
                new { watermark, lastDue }, cancellationToken: ct))).ToList();
        var written = 0;
        foreach (var row in due)
            written += await published.ExecuteAsync(new CommandDefinition(
                "INSERT INTO published_totals (campus, week, measure, value, published_at) VALUES (@Campus, @Week, @Measure, @Value, @at) ON CONFLICT DO NOTHING;",
                new { row.Campus, row.Week, row.Measure, row.Value, at = now.ToUnixTimeSeconds() }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return written;
    }

    /// <summary>The published file's connection string on SQLite: the setting, or published.db beside the service's file.</summary>
    private static string PublishedFile(DatabaseOptions database)
    {
        if (database.PublishedConnectionString.Length > 0) return database.PublishedConnectionString;
        var service = Path.GetFullPath(new SqliteConnectionStringBuilder(database.ConnectionString).DataSource);
        return new SqliteConnectionStringBuilder { DataSource = Path.Combine(Path.GetDirectoryName(service)!, "published.db") }.ToString();
    }

    /// <summary>
    /// PostgreSQL: the service's database (migration V0015 made the table). SQLite: the published file, made
    /// here if need be, in rollback-journal mode (a reader needs no -wal or -shm file, so the panel reads it
    /// without write permission on its folder) and readable by the file's group (the panel's, in the reference
    /// units), by no one else: the service's own files stay 0600.
    /// </summary>
    private async Task<DbConnection> OpenPublishedAsync(CancellationToken ct)
    {
        if (database.Provider == DatabaseProvider.Postgres) return await database.OpenAsync(ct);
        var file = new SqliteConnectionStringBuilder(PublishedFile(databaseOptions.Value))
        {
            Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false, DefaultTimeout = databaseOptions.Value.TimeoutSeconds,
        };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file.DataSource))!);
        var connection = new SqliteConnection(file.ToString());
        await connection.OpenAsync(ct);
        await connection.ExecuteAsync("PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL; " + SqliteTable);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(file.DataSource, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        return connection;
    }
}

using Alice.Dispatch.Storage;
using Alice.Dispatch.Tests.Support;
using Alice.Dispatch.Totals;
using Alice.Totals;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Alice.Dispatch.Tests;

/// <summary>
/// The totals the panel may show, on a fake clock over a real service's database: a week is published at
/// the start of the Monday of the week after next (Brussels), not a moment before, whatever is counted in
/// the meantime; once published it never changes, even when more is counted in it afterwards.
/// </summary>
public class PublishedTotalsTests
{
    private static readonly TimeZoneInfo Brussels = TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels");

    /// <summary>Wednesday of 2027-W10: later than the real clock, so the service's own job (on the real clock) never finds these weeks due.</summary>
    private static readonly DateTimeOffset T0 = At(2027, 3, 10, 13, 0);

    [Fact]
    public async Task A_week_is_published_only_at_the_start_of_the_monday_after_next_and_never_changes_afterwards()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner);
        var clock = new FakeTimeProvider(T0);
        var services = app.Services;
        var counter = new WeeklyTotals(clock);
        var publisher = new TotalsPublisher(services.GetRequiredService<Database>(), services.GetRequiredService<IOptions<DatabaseOptions>>(), clock);
        async Task CountAsync(Measure measure, int count)
        {
            await using var connection = await services.GetRequiredService<Database>().OpenAsync();
            await using var tx = await connection.BeginTransactionAsync();
            await counter.CountAsync(tx, "alma", measure, default, count);
            await tx.CommitAsync();
        }

        // Events all week long, and the week after: nothing is published, so the panel has nothing to show.
        await CountAsync(Measure.RidesBooked, 12);
        Assert.Equal(0, await publisher.PublishDueAsync(default));
        foreach (var at in new[] { At(2027, 3, 14, 23, 59), At(2027, 3, 15, 0, 0), At(2027, 3, 18, 12, 0), At(2027, 3, 21, 23, 59) })
        {
            clock.SetUtcNow(at);
            await CountAsync(at < At(2027, 3, 15, 0, 0) ? Measure.RidesBooked : Measure.Arrived, 1);
            Assert.Equal(0, await publisher.PublishDueAsync(default));
            Assert.Empty(await PublishedAsync(app));
        }

        // Monday of the week after next, at midnight in Brussels: week 10 is published, week 11 is not.
        clock.SetUtcNow(At(2027, 3, 22, 0, 0));
        Assert.True(await publisher.PublishDueAsync(default) > 0);
        var published = await PublishedAsync(app);
        Assert.Equal([("alma", "2027-W10", "rides_booked", 13L)], published);

        // Counted in week 10 after its publication (a late event): week 10 stays as published.
        await using (var db = app.Database.Open())
            await db.ExecuteAsync("UPDATE weekly_totals SET value = value + 5 WHERE campus = 'alma' AND week = '2027-W10' AND measure = 'rides_booked';");
        clock.SetUtcNow(At(2027, 3, 29, 0, 0)); // and week 11 comes due
        await publisher.PublishDueAsync(default);
        Assert.Equal([("alma", "2027-W10", "rides_booked", 13L), ("alma", "2027-W11", "arrived", 3L)], await PublishedAsync(app));

        if (!TestDatabase.IsPostgres && !OperatingSystem.IsWindows())
        {
            // The published file: rollback journal (a reader needs no -wal/-shm it could not make), readable by its group only.
            var file = new SqliteConnectionStringBuilder(app.Database.PublishedConnectionString).DataSource;
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(file));
            await using var reader = new SqliteConnection(new SqliteConnectionStringBuilder(app.Database.PublishedConnectionString) { Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            await reader.OpenAsync();
            Assert.Equal("delete", await reader.ExecuteScalarAsync<string>("PRAGMA journal_mode;"));
            Assert.Equal(2, await reader.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM published_totals;"));
        }
    }

    [Theory]
    [InlineData(2027, 10, "2027-03-22T00:00:00+01:00")]
    [InlineData(2027, 11, "2027-03-29T00:00:00+02:00")] // the Monday after the clocks go forward
    [InlineData(2026, 53, "2027-01-11T00:00:00+01:00")]
    public void A_week_is_published_at_midnight_in_brussels_on_the_monday_after_next(int year, int number, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected), PublicationSchedule.PublishedAt(new Week(year, number)));
        Assert.Equal(new Week(year, number), PublicationSchedule.LastDue(DateTimeOffset.Parse(expected)));
        Assert.NotEqual(new Week(year, number), PublicationSchedule.LastDue(DateTimeOffset.Parse(expected).AddSeconds(-1)));
    }

    private static DateTimeOffset At(int year, int month, int day, int hour, int minute)
    {
        var local = new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Brussels.GetUtcOffset(local));
    }

    private static async Task<List<(string, string, string, long)>> PublishedAsync(DispatchApp app)
    {
        await using var db = app.Database.OpenPublished();
        var exists = await db.ExecuteScalarAsync<long>(TestDatabase.IsPostgres
            ? "SELECT COUNT(*) FROM pg_tables WHERE tablename = 'published_totals';"
            : "SELECT COUNT(*) FROM sqlite_master WHERE name = 'published_totals';");
        if (exists == 0) return [];
        return (await db.QueryAsync<(string, string, string, long)>("SELECT campus, week, measure, value FROM published_totals ORDER BY week, measure;")).ToList();
    }
}

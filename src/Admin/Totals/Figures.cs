using System.Data.Common;
using Alice.Admin.Storage;
using Alice.Totals;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Alice.Admin.Totals;

/// <summary>Every weekly total published, as read from <c>published_totals</c>: a few rows a campus and week.</summary>
internal sealed class Figures(IReadOnlyDictionary<(string Campus, Week Week, string Measure), long> values)
{
    public IReadOnlyList<string> Campuses { get; } = values.Keys.Select(k => k.Campus).Distinct().Order(StringComparer.Ordinal).ToList();

    public IReadOnlyList<int> Years { get; } = values.Keys.Select(k => k.Week.Year).Distinct().Order().ToList();

    /// <summary>
    /// The weeks of a year from the first that has any total to the last (the weeks between count as zeros):
    /// the weeks before the service started, or not yet come, are not shown at all.
    /// </summary>
    public IReadOnlyList<Week> WeeksOf(int year)
    {
        var numbers = values.Keys.Where(k => k.Week.Year == year).Select(k => k.Week.Number).ToList();
        return numbers.Count == 0 ? [] : Week.InYear(year).Skip(numbers.Min() - 1).Take(numbers.Max() - numbers.Min() + 1).ToList();
    }

    public long Value(string campus, Week week, string measure) => values.GetValueOrDefault((campus, week, measure));
}

/// <summary>
/// Reads the totals the dispatch service has published (<c>published_totals</c>: weeks that have ended, each
/// frozen once published), never its live counts. A publication not there yet (the service has never run,
/// or not published anything) reads as nothing published; one that cannot be read at all (the service is
/// starting, or has not made its database yet) reads as null, logged, and the pages say so (503).
/// </summary>
internal sealed class FiguresReader(IOptions<PanelDatabaseOptions> options, TimeProvider clock, ILogger<FiguresReader> logger)
{
    public async Task<Figures?> ReadAsync(CancellationToken ct)
    {
        var values = new Dictionary<(string, Week, string), long>();
        // No published file yet: the service has never run. A file there that cannot be opened (its mode, its
        // group) is a fault to see, not "nothing published".
        if (options.Value.Provider == DatabaseProvider.Sqlite
            && !File.Exists(new SqliteConnectionStringBuilder(options.Value.PublishedConnectionString).DataSource)) return new Figures(values);
        try
        {
            await using var connection = Open(options.Value);
            await connection.OpenAsync(ct);
            var rows = await connection.QueryAsync<(string Campus, string Week, string Measure, long Value)>(new CommandDefinition(
                "SELECT campus, week, measure, value FROM published_totals WHERE published_at <= @now;",
                new { now = clock.GetUtcNow().ToUnixTimeSeconds() }, cancellationToken: ct));
            // A row this release cannot place (an unknown week key) is left out rather than failing the page.
            foreach (var row in rows)
                if (Week.TryParse(row.Week, out var week)) values[(row.Campus, week, row.Measure)] = row.Value;
        }
        catch (Exception e) when (NothingPublishedYet(e)) { }
        catch (DbException e)
        {
            // Its kind and code only: a database's message can carry its address, never a caller's data.
            logger.LogError("The published totals could not be read ({Kind}, {Code}): the pages answer 503 until they can.",
                e.GetType().Name, e switch { PostgresException p => p.SqlState, SqliteException s => $"{s.SqliteErrorCode}", _ => "-" });
            return null;
        }
        return new Figures(values);
    }

    /// <summary>Opened read-only: on SQLite the file is the service's, readable by the panel's group and no more.</summary>
    private static DbConnection Open(PanelDatabaseOptions o) => o.Provider == DatabaseProvider.Postgres
        ? new NpgsqlConnection(o.PublishedConnectionString)
        : new SqliteConnection(new SqliteConnectionStringBuilder(o.PublishedConnectionString) { Mode = SqliteOpenMode.ReadOnly, DefaultTimeout = 5 }.ToString());

    /// <summary>No table in the file yet (SQLite); no table yet (PostgreSQL, before the service's migration).</summary>
    private static bool NothingPublishedYet(Exception e) => e switch
    {
        SqliteException { SqliteErrorCode: 1 } s => s.Message.Contains("no such table", StringComparison.Ordinal),
        PostgresException { SqlState: "42P01" } => true, // undefined_table
        _ => false,
    };
}

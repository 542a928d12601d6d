using Alice.Totals;
using Dapper;

namespace Alice.Admin.Totals;

/// <summary>Every weekly total there is, as read from <c>weekly_totals</c>: a few rows a campus and week.</summary>
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

/// <summary>Reads the totals, through the panel's read-only connection.</summary>
internal sealed class FiguresReader(Storage.AdminDatabase database)
{
    public async Task<Figures> ReadAsync(CancellationToken ct)
    {
        await using var connection = await database.Totals.OpenConnectionAsync(ct);
        // Each total is the sum of its rows' stripes (the dispatch service spreads its counts over them).
        var rows = await connection.QueryAsync<(string Campus, string Week, string Measure, long Value)>(new CommandDefinition(
            "SELECT campus, week, measure, SUM(value) FROM weekly_totals GROUP BY campus, week, measure;", cancellationToken: ct));
        var values = new Dictionary<(string, Week, string), long>();
        // A row this release cannot place (an unknown week key) is left out rather than failing the page.
        foreach (var row in rows)
            if (Week.TryParse(row.Week, out var week)) values[(row.Campus, week, row.Measure)] = row.Value;
        return new Figures(values);
    }
}

using Alice.Totals;
using Dapper;

namespace Alice.Admin.Totals;

/// <summary>Every weekly total there is, as read from <c>weekly_totals</c>: a few rows a campus and week.</summary>
internal sealed class Figures(IReadOnlyDictionary<(string Campus, Week Week, string Measure), long> values)
{
    public IReadOnlyList<string> Campuses { get; } = values.Keys.Select(k => k.Campus).Distinct().Order(StringComparer.Ordinal).ToList();

    public IReadOnlyList<int> Years { get; } = values.Keys.Select(k => k.Week.Year).Distinct().Order().ToList();

    /// <summary>The weeks of a year that have any total, up to the last of them (the weeks between count as zeros).</summary>
    public IReadOnlyList<Week> WeeksOf(int year)
    {
        var last = values.Keys.Where(k => k.Week.Year == year).Select(k => k.Week.Number).DefaultIfEmpty(0).Max();
        return Week.InYear(year).Take(last).ToList();
    }

    public long Value(string campus, Week week, string measure) => values.GetValueOrDefault((campus, week, measure));
}

/// <summary>Reads the totals, through the panel's read-only connection.</summary>
internal sealed class FiguresReader(Storage.AdminDatabase database)
{
    public async Task<Figures> ReadAsync(CancellationToken ct)
    {
        await using var connection = await database.Totals.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(string Campus, string Week, string Measure, long Value)>(new CommandDefinition(
            "SELECT campus, week, measure, value FROM weekly_totals;", cancellationToken: ct));
        var values = new Dictionary<(string, Week, string), long>();
        // A row this release cannot place (an unknown week key) is left out rather than failing the page.
        foreach (var row in rows)
            if (Week.TryParse(row.Week, out var week)) values[(row.Campus, week, row.Measure)] = row.Value;
        return new Figures(values);
    }
}

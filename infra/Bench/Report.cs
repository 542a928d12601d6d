using System.Globalization;

namespace Alice.Bench;

/// <summary>
/// The one table infra/bench prints: every measure for SQLite and PostgreSQL side by side, and its goal.
/// A figure its goal applies to is marked ✓ (met) or ✗ (missed); "–" where that part did not run.
/// </summary>
internal static class Report
{
    /// <summary>
    /// A measure: the keys it reads, how it reads, its goal, and the goal's check on each database
    /// (null: the goal does not apply there, e.g. the throughput goal is PostgreSQL's).
    /// </summary>
    private sealed record Row(string Measure, string[] Keys, Func<Figures, string> Show, string Goal = "",
                              Func<Figures, bool>? OnSqlite = null, Func<Figures, bool>? OnPostgres = null);

    private sealed class Figures(Dictionary<string, string> values)
    {
        public double this[string key] => double.Parse(values[key], CultureInfo.InvariantCulture);
        public bool Has(string[] keys) => keys.All(values.ContainsKey);
        public string Text(string key) => values.GetValueOrDefault(key, "–");
    }

    public static void Print(Dictionary<string, string> sqliteResults, Dictionary<string, string> postgresResults)
    {
        Figures sqlite = new(sqliteResults), postgres = new(postgresResults);
        Console.WriteLine($"Alice on {Environment.ProcessorCount} cores, shared by the load generator, the service, the partner simulator and PostgreSQL; " +
                          "every part on a fresh database, the service in Production mode from the Release build.");
        Console.WriteLine("Hotline: closed loop, distinct signed calls after the warm-up, 30,000 a step for the bare endpoint and the menu, 3,000 for the booking step. Key press → partner: 200 calls, 4 at a time.\n");
        Console.WriteLine("| measure | SQLite | PostgreSQL | goal |\n|---|---:|---:|---|");
        foreach (var row in Rows())
            Console.WriteLine($"| {row.Measure} | {Cell(row, sqlite, row.OnSqlite)} | {Cell(row, postgres, row.OnPostgres)} | {row.Goal} |");
        Console.WriteLine();
        foreach (var c in Concurrencies.Where(c => sqlite.Has([$"warmup.{c}"]) || postgres.Has([$"warmup.{c}"])))
            Console.WriteLine($"Warm-up at {c} callers, booking step requests/s per round: SQLite {sqlite.Text($"warmup.{c}")}; PostgreSQL {postgres.Text($"warmup.{c}")}.");
    }

    private static readonly int[] Concurrencies = [16, 64];

    private static IEnumerable<Row> Rows()
    {
        foreach (var c in Concurrencies)
        {
            yield return Ms($"bare endpoint (GET /healthz), {c} callers: p50 / p99", $"bare.{c}", "the floor");
            yield return Ms($"menu step (POST /twilio/voice), {c} callers: p50 / p99", $"menu.{c}", "p99 under 5 ms",
                f => f[$"menu.{c}.p99"] < 5, f => f[$"menu.{c}.p99"] < 5);
            yield return c == 16
                ? Ms($"booking step (POST /twilio/pickup), {c} callers: p50 / p99", $"booking.{c}", "SQLite: p99 under 20 ms", onSqlite: f => f[$"booking.{c}.p99"] < 20)
                : Ms($"booking step (POST /twilio/pickup), {c} callers: p50 / p99", $"booking.{c}", "PostgreSQL: p99 under 50 ms", onPostgres: f => f[$"booking.{c}.p99"] < 50);
            yield return new Row($"booking step, {c} callers: bookings/s", [$"booking.{c}.rps"], f => $"{f[$"booking.{c}.rps"]:N0}",
                c == 64 ? "PostgreSQL: 1,000/s or more" : "", OnPostgres: c == 64 ? f => f[$"booking.{c}.rps"] >= 1000 : null);
            yield return new Row($"failed requests, {c} callers (all three steps)", [$"errors.{c}"], f => $"{f[$"errors.{c}"]:F0}", "none",
                f => f[$"errors.{c}"] == 0, f => f[$"errors.{c}"] == 0);
        }
        yield return new Row("Dispatch resident, 64-caller booking step: peak VmRSS / VmHWM", ["rss.64.peak", "rss.64.hwm"],
            f => $"{f["rss.64.peak"]:F0} / {f["rss.64.hwm"]:F0} MB", "under 200 MB", f => f["rss.64.hwm"] < 200, f => f["rss.64.hwm"] < 200);
        yield return new Row("key press → partner has the booking: p50 / p99", ["partner.p50", "partner.p99"],
            f => $"{f["partner.p50"]:F1} / {f["partner.p99"]:F1} ms", "p99 under 100 ms", f => f["partner.p99"] < 100, f => f["partner.p99"] < 100);
        yield return new Row("outage drill (partner down 60 s, 100 calls): delivered exactly once", ["drill.once", "drill.calls"],
            f => $"{f["drill.once"]:F0} of {f["drill.calls"]:F0}", "all", f => f["drill.once"] == f["drill.calls"], f => f["drill.once"] == f["drill.calls"]);
        yield return new Row("outage drill: drained after the partner came back", ["drill.drain"],
            f => $"{f["drill.drain"]:F1} s", "under 10 s", f => f["drill.drain"] < 10, f => f["drill.drain"] < 10);
        yield return new Row("start → first 200 from /readyz, database already migrated", ["ready.migrated"],
            f => $"{f["ready.migrated"] / 1000:F2} s", "under 3 s", f => f["ready.migrated"] < 3000, f => f["ready.migrated"] < 3000);
        yield return new Row("start → first 200 from /readyz, fresh database (migrating it)", ["ready.fresh"],
            f => $"{f["ready.fresh"] / 1000:F2} s");
    }

    /// <summary>A p50 / p99 row in milliseconds.</summary>
    private static Row Ms(string measure, string key, string goal, Func<Figures, bool>? onSqlite = null, Func<Figures, bool>? onPostgres = null) =>
        new(measure, [$"{key}.p50", $"{key}.p99"], f => $"{f[$"{key}.p50"]:F2} / {f[$"{key}.p99"]:F2} ms", goal, onSqlite, onPostgres);

    private static string Cell(Row row, Figures figures, Func<Figures, bool>? met) =>
        !figures.Has(row.Keys) ? "–" : row.Show(figures) + (met is null ? "" : met(figures) ? " ✓" : " ✗");
}

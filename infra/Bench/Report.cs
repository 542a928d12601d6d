using System.Globalization;

namespace Alice.Bench;

/// <summary>
/// The one table infra/bench prints: every measure for SQLite and PostgreSQL side by side, and its goal.
/// A figure its goal applies to is marked ✓ (met) or ✗ (missed); "–" where that part did not run.
/// </summary>
internal static class Report
{
    /// <summary>A measure: the keys it reads, how it shows them, its goal, and the goal's check (null: no goal).</summary>
    private sealed record Row(string Measure, string[] Keys, Func<Figures, string> Show, string Goal = "", Func<Figures, bool>? Met = null);

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
        Console.WriteLine("Hotline: distinct signed calls after the warm-up; at 4 callers in bursts (4 at once, a 25 ms pause): 4,000 a step for the bare endpoint and the menu; " +
                          "at 16 in a closed loop: 10 s each (the menu through 30,000 distinct calls, again from the first if all are sent); 1,500 for the booking step; " +
                          "the abuse limits lifted (thousands of bookings for one campus). Key press → partner: 200 calls, 4 at a time.\n");
        Console.WriteLine("| measure | SQLite | PostgreSQL | goal |\n|---|---:|---:|---|");
        foreach (var row in Rows())
            Console.WriteLine($"| {row.Measure} | {Cell(row, sqlite)} | {Cell(row, postgres)} | {row.Goal} |");
        Console.WriteLine();
        foreach (var c in Concurrencies.Where(c => sqlite.Has([$"warmup.{c}"]) || postgres.Has([$"warmup.{c}"])))
            Console.WriteLine($"Warm-up at {c} callers, booking step requests/s per round: SQLite {sqlite.Text($"warmup.{c}")}; PostgreSQL {postgres.Text($"warmup.{c}")}.");
    }

    /// <summary>A bad night (a few callers at once, in bursts), and a flood (a closed loop).</summary>
    private static readonly int[] Concurrencies = [4, 16];

    private static IEnumerable<Row> Rows()
    {
        foreach (var c in Concurrencies)
        {
            var callers = c == 4 ? "bursts of 4 callers at once" : $"{c} callers in a closed loop";
            yield return Ms($"bare endpoint (GET /healthz), {callers}: p50 / p99", $"bare.{c}", "the floor");
            yield return Ms($"menu step (POST /twilio/voice), {callers}: p50 / p99", $"menu.{c}");
            yield return Ms($"booking step (POST /twilio/pickup), {callers}: p50 / p99", $"booking.{c}");
            if (c == 4) yield return Ratio("booking", c, 10, "a bad night: a few callers at once");
            else
            {
                yield return Ratio("menu", c, 2, "floods hit the menu");
                yield return new Row($"booking step, {callers}: bookings/s", [$"booking.{c}.rps"], f => $"{f[$"booking.{c}.rps"]:N0}",
                    "200/s or more (a floor against pathological regressions; abuse limits lifted for this measure)", f => f[$"booking.{c}.rps"] >= 200);
            }
            yield return new Row($"failed requests, {callers} (all three steps)", [$"errors.{c}"], f => $"{f[$"errors.{c}"]:F0}", "none",
                f => f[$"errors.{c}"] == 0);
        }
        yield return new Row("Dispatch resident, 16-caller booking step: peak VmRSS / VmHWM", ["rss.16.peak", "rss.16.hwm"],
            f => $"{f["rss.16.peak"]:F0} / {f["rss.16.hwm"]:F0} MB", "under 200 MB", f => f["rss.16.hwm"] < 200);
        yield return new Row("key press → partner has the booking: p50 / p99", ["partner.p50", "partner.p99"],
            f => $"{f["partner.p50"]:F1} / {f["partner.p99"]:F1} ms", "p99 under 100 ms", f => f["partner.p99"] < 100);
        yield return new Row("outage drill (partner down 60 s, 100 calls): delivered exactly once", ["drill.once", "drill.calls"],
            f => $"{f["drill.once"]:F0} of {f["drill.calls"]:F0}", "all", f => f["drill.once"] == f["drill.calls"]);
        yield return new Row("outage drill: drained after the partner came back", ["drill.drain"],
            f => $"{f["drill.drain"]:F1} s", "under 10 s", f => f["drill.drain"] < 10);
        yield return new Row("start → first 200 from /readyz, database already migrated", ["ready.migrated"],
            f => $"{f["ready.migrated"] / 1000:F2} s", "under 3 s", f => f["ready.migrated"] < 3000);
        yield return new Row("start → first 200 from /readyz, fresh database (migrating it)", ["ready.fresh"],
            f => $"{f["ready.fresh"] / 1000:F2} s");
    }

    /// <summary>A p50 / p99 row in milliseconds.</summary>
    private static Row Ms(string measure, string key, string goal = "") =>
        new(measure, [$"{key}.p50", $"{key}.p99"], f => $"{f[$"{key}.p50"]:F2} / {f[$"{key}.p99"]:F2} ms", goal);

    /// <summary>A step's p99 over the bare endpoint's, in the same run at the same number of callers.</summary>
    private static Row Ratio(string step, int callers, double most, string why)
    {
        string p99 = $"{step}.{callers}.p99", bare = $"bare.{callers}.p99";
        return new($"{step} p99 / bare p99 at {callers}", [p99, bare], f => $"{f[p99] / f[bare]:F2}×",
            $"{most:F0}× or less ({why})", f => f[p99] / f[bare] <= most);
    }

    private static string Cell(Row row, Figures figures) =>
        !figures.Has(row.Keys) ? "–" : row.Show(figures) + (row.Met is null ? "" : row.Met(figures) ? " ✓" : " ✗");
}

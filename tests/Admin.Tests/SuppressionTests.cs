using Alice.Admin.Tests.Support;
using Alice.Admin.Disclosure;
using CsCheck;

namespace Alice.Admin.Tests;

/// <summary>
/// The organisers' totals, attacked: no count from 1 to threshold − 1 is shown, and none hidden can be
/// worked out from the shown ones. Recovery is judged by <see cref="ExactSpan"/>, exact rational
/// elimination of its own, not by the engine's arithmetic modulo a prime.
/// </summary>
public class SuppressionTests
{
    [Fact]
    public void A_small_cell_beside_its_row_and_column_totals_cannot_be_recovered()
    {
        var table = Grid([[3, 20, 30], [40, 25, 35], [50, 45, 60]]);

        var hidden = Suppression.Suppress(table.Cells, threshold: 5);

        AssertSafe(table.Cells, hidden, threshold: 5);
        // Row total first (53, the smallest beside it), then the column (93), then the grand total.
        Assert.Equal(["r0 c0", "r0", "c0", "all"], table.Hidden(hidden));
    }

    [Fact]
    public void Two_small_cells_in_one_row_are_each_protected_through_their_own_column()
    {
        var table = Grid([[2, 4, 30], [40, 25, 35], [50, 45, 60]]);

        var hidden = Suppression.Suppress(table.Cells, threshold: 5);

        AssertSafe(table.Cells, hidden, threshold: 5);
        Assert.Equal(["r0 c0", "r0 c1", "r0", "c0", "c1", "all"], table.Hidden(hidden));
    }

    [Fact]
    public void A_week_total_published_in_two_tables_is_hidden_in_both()
    {
        var table = Grid([[3, 40, 50], [20, 30, 45]]);
        var copy = table.Add("c0 again", table.Cells[table.Index["c0"]].Variables);

        var hidden = Suppression.Suppress(table.Cells, threshold: 5);

        AssertSafe(table.Cells, hidden, threshold: 5);
        Assert.True(hidden[table.Index["c0"]]);
        Assert.True(hidden[copy]);
    }

    [Fact]
    public void A_campus_total_left_unpublished_but_implied_by_the_all_campus_total_still_protects_its_small_week()
    {
        // Campus 0's year is the all-campus year minus campus 1's, so its small week is that minus its other weeks.
        var table = new Table([2, 40, 50, 20, 30, 45]);
        for (var v = 0; v < 6; v++)
            table.Add($"campus {v / 3} week {v % 3}", [v]);
        table.Add("campus 1 year", [3, 4, 5]);
        table.Add("all-campus year", [0, 1, 2, 3, 4, 5]);

        var hidden = Suppression.Suppress(table.Cells, threshold: 5);

        AssertSafe(table.Cells, hidden, threshold: 5);
        Assert.Equal(["campus 0 week 0", "all-campus year"], table.Hidden(hidden));
    }

    [Fact]
    public void A_week_cannot_be_recovered_from_its_month_minus_the_other_weeks()
    {
        // Two campuses, weeks 0–2 in one month and 3–4 in the next; only campus 0's week 1 is small.
        var table = Calendar([[30, 3, 40, 25, 60], [50, 45, 20, 35, 70]], monthOfWeek: [0, 0, 0, 1, 1]);

        var hidden = Suppression.Suppress(table.Cells, threshold: 5);

        AssertSafe(table.Cells, hidden, threshold: 5);
        Assert.True(hidden[table.Index["c0 w1"]]);
        Assert.True(hidden[table.Index["c0 m0"]] || hidden[table.Index["c0 w0"]] || hidden[table.Index["c0 w2"]]);
        Assert.True(hidden[table.Index["all w1"]] || hidden[table.Index["c1 w1"]]);
    }

    [Fact]
    public void A_cell_that_takes_halves_of_shown_sums_to_recover_is_still_protected()
    {
        // x0 = (a − b + c) / 2: in the rational span, though no sum with whole coefficients gives it.
        var table = new Table([3, 20, 30]);
        table.Add("a", [0, 1]);
        table.Add("b", [1, 2]);
        table.Add("c", [0, 2]);
        table.Add("x0", [0]);

        var hidden = Suppression.Suppress(table.Cells, threshold: 5);

        AssertSafe(table.Cells, hidden, threshold: 5);
        Assert.Equal(["a", "x0"], table.Hidden(hidden));
    }

    [Fact]
    public void A_small_cell_is_protected_by_the_smallest_positive_cell_beside_it_before_any_zero()
    {
        // Only "pair minus x3" gives the small cell back; the zero and the larger sum beside it do not help.
        var table = new Table([2, 0, 50, 10]);
        table.Add("small", [0, 1]);
        table.Add("zero", [1]);
        table.Add("larger sum", [0, 1, 2]);
        table.Add("pair", [0, 1, 3]);
        table.Add("x3", [3]);

        var hidden = Suppression.Suppress(table.Cells, threshold: 5);

        AssertSafe(table.Cells, hidden, threshold: 5);
        Assert.Equal(["small", "pair"], table.Hidden(hidden));
    }

    [Fact]
    public void With_threshold_ten_no_shown_cell_lies_between_one_and_nine()
    {
        var table = Calendar([[0, 9, 10, 1, 30], [5, 0, 12, 8, 11], [10, 10, 2, 0, 40]], monthOfWeek: [0, 0, 1, 1, 1]);
        var alone = new[] { 9L, 10, 0 }.Select(value => table.Add($"alone {value}", [table.NewVariable(value)])).ToList();

        var hidden = Suppression.Suppress(table.Cells, threshold: 10);

        AssertSafe(table.Cells, hidden, threshold: 10);
        Assert.Contains(table.Cells, c => c.Value is >= 1 and <= 9);
        Assert.Equal([true, false, false], alone.Select(i => hidden[i]));
    }

    [Fact]
    public void A_table_without_small_counts_is_published_whole()
    {
        var table = Calendar([[0, 5, 12, 40], [12, 0, 0, 5], [40, 7, 5, 0]], monthOfWeek: [0, 0, 1, 1]);

        var hidden = Suppression.Suppress(table.Cells, threshold: 5);

        Assert.DoesNotContain(true, hidden);
    }

    [Fact]
    public void A_year_of_three_campuses_and_two_measures_with_many_small_weeks_keeps_every_hidden_cell_unrecoverable()
    {
        // The panel's size: 318 weekly counts, above the rank where arithmetic modulo p is exact for certain.
        var random = new Random(7);
        var monthOfWeek = Enumerable.Range(0, 53).Select(w => w * 12 / 53).ToArray();
        var table = new Table([]);
        for (var measure = 0; measure < 2; measure++)
            table.AddCalendar($"m{measure} ", [.. Enumerable.Range(0, 3).Select(campus => Enumerable.Range(0, 53).Select(week => (long)random.Next(0, 15)).ToArray())], monthOfWeek);

        var hidden = Suppression.Suppress(table.Cells, threshold: 5);

        AssertSafe(table.Cells, hidden, threshold: 5);
    }

    [Fact]
    public void Random_calendars_never_show_a_small_count_nor_let_a_hidden_one_be_recovered()
    {
        var count = Gen.Frequency((5, Gen.Long[1, 12]), (3, Gen.Const(0L)), (2, Gen.Long[13, 300]));
        var calendars =
            from campuses in Gen.Int[1, 4]
            from weeks in Gen.Int[1, 10]
            from startsMonth in Gen.Bool.Array[weeks - 1]
            from counts in count.Array[weeks].Array[campuses]
            from threshold in Gen.Int[5, 12]
            select (counts, startsMonth, threshold);

        calendars.Sample((counts, startsMonth, threshold) =>
        {
            var monthOfWeek = new int[counts[0].Length];
            for (var w = 1; w < monthOfWeek.Length; w++)
                monthOfWeek[w] = monthOfWeek[w - 1] + (startsMonth[w - 1] ? 1 : 0);
            var table = Calendar(counts, monthOfWeek);

            AssertSafe(table.Cells, Suppression.Suppress(table.Cells, threshold), threshold);
        }, iter: 1000);
    }

    [Fact]
    public void The_exact_checker_recovers_a_week_as_its_month_minus_the_other_weeks_and_nothing_more()
    {
        int[] week0 = [0], week1 = [1], week2 = [2], month = [0, 1, 2];

        Assert.True(new ExactSpan([month, week0, week2], 3).Contains(week1));
        Assert.False(new ExactSpan([month, week0], 3).Contains(week1));
        Assert.True(new ExactSpan([month], 3).Contains([2, 0, 1]));
        Assert.True(new ExactSpan([[0, 1], [1, 2], [0, 2]], 3).Contains(week0));
    }

    [Fact]
    public void Cells_that_are_no_sums_of_counts_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Suppression.Suppress([new Cell([0], 3)], threshold: 1));
        Assert.Throws<ArgumentException>(() => Suppression.Suppress([new Cell([], 0)], threshold: 5));
        Assert.Throws<ArgumentException>(() => Suppression.Suppress([new Cell([0, 0], 6)], threshold: 5));
        Assert.Throws<ArgumentException>(() => Suppression.Suppress([new Cell([0], -1)], threshold: 5));
    }

    private static void AssertSafe(IReadOnlyList<Cell> cells, bool[] hidden, int threshold)
    {
        Assert.Equal(cells.Count, hidden.Length);
        var shown = Enumerable.Range(0, cells.Count).Where(i => !hidden[i]).ToList();
        Assert.DoesNotContain(shown, i => cells[i].Value >= 1 && cells[i].Value < threshold);
        var span = new ExactSpan(shown.Select(i => cells[i].Variables), cells.Max(c => c.Variables.Max()) + 1);
        Assert.DoesNotContain(Enumerable.Range(0, cells.Count), i => hidden[i] && span.Contains(cells[i].Variables));
    }

    /// <summary>A rows × columns table of counts with its row totals, column totals and grand total.</summary>
    private static Table Grid(long[][] counts)
    {
        var columns = counts[0].Length;
        var table = new Table([.. counts.SelectMany(row => row)]);
        for (var r = 0; r < counts.Length; r++)
            for (var c = 0; c < columns; c++)
                table.Add($"r{r} c{c}", [r * columns + c]);
        for (var r = 0; r < counts.Length; r++)
            table.Add($"r{r}", [.. Enumerable.Range(r * columns, columns)]);
        for (var c = 0; c < columns; c++)
            table.Add($"c{c}", [.. Enumerable.Range(0, counts.Length).Select(r => r * columns + c)]);
        table.Add("all", [.. Enumerable.Range(0, counts.Length * columns)]);
        return table;
    }

    private static Table Calendar(long[][] counts, int[] monthOfWeek)
    {
        var table = new Table([]);
        table.AddCalendar("", counts, monthOfWeek);
        return table;
    }

    /// <summary>Cells named for the assertions, over base counts that each cell's value is the sum of.</summary>
    private sealed class Table(long[] counts)
    {
        private readonly List<long> _counts = [.. counts];

        public List<Cell> Cells { get; } = [];

        public Dictionary<string, int> Index { get; } = [];

        public int NewVariable(long count)
        {
            _counts.Add(count);
            return _counts.Count - 1;
        }

        public int Add(string name, IReadOnlyList<int> variables)
        {
            Index.Add(name, Cells.Count);
            Cells.Add(new Cell(variables, variables.Sum(v => _counts[v])));
            return Cells.Count - 1;
        }

        /// <summary>
        /// Counts per campus and week, then per campus their months and year, and the same for all
        /// campuses together: one campus or a one-week month repeats a sum, as the panel would.
        /// </summary>
        public void AddCalendar(string prefix, long[][] countsByCampus, int[] monthOfWeek)
        {
            var weeks = monthOfWeek.Length;
            var variable = countsByCampus.Select(campus => campus.Select(NewVariable).ToArray()).ToArray();
            var weekSets = Enumerable.Range(0, weeks).Select(w => ($"w{w}", new[] { w }))
                .Concat(monthOfWeek.Distinct().Select(m => ($"m{m}", Enumerable.Range(0, weeks).Where(w => monthOfWeek[w] == m).ToArray())))
                .Append(("year", Enumerable.Range(0, weeks).ToArray()));
            var campusSets = Enumerable.Range(0, countsByCampus.Length).Select(c => ($"c{c}", new[] { c }))
                .Append(("all", Enumerable.Range(0, countsByCampus.Length).ToArray()));
            foreach (var (campusName, campuses) in campusSets)
                foreach (var (weekName, weekSet) in weekSets)
                    Add($"{prefix}{campusName} {weekName}", [.. from c in campuses from w in weekSet select variable[c][w]]);
        }

        public List<string> Hidden(bool[] hidden) => [.. Index.Where(n => hidden[n.Value]).OrderBy(n => n.Value).Select(n => n.Key)];
    }
}

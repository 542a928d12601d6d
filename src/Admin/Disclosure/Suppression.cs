namespace Alice.Admin.Disclosure;

/// <summary>A cell that may be published: the sum of some base variables (indices into the base vector), and its value.</summary>
internal sealed record Cell(IReadOnlyList<int> Variables, long Value);

/// <summary>
/// Which cells of a table of counts the organisers must not see: every count from 1 to threshold − 1,
/// and enough others that none of those hidden can be worked out by adding and subtracting shown
/// ones (a month minus its other weeks, a campus from the all-campus total, the same sum shown twice).
/// </summary>
internal static class Suppression
{
    /// <summary>hidden[i] says whether cells[i] must not be shown. threshold >= 2.</summary>
    public static bool[] Suppress(IReadOnlyList<Cell> cells, int threshold)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 2);
        var cellsWith = CellsByVariable(cells);
        var span = new ShownSpan([.. cells.Select(c => c.Variables)], cellsWith.Length);
        for (var i = 0; i < cells.Count; i++)
            if (cells[i].Value >= 1 && cells[i].Value < threshold)
                span.Hide(i);
        // One cell at a time, then look again: hiding one often protects several.
        while (span.FirstRecoverable is int recoverable)
        {
            // It is a combination of shown cells, so one of them shares a variable with it.
            var protecting = cells[recoverable].Variables.SelectMany(v => cellsWith[v]).Where(span.IsShown)
                .MinBy(j => (cells[j].Value == 0, cells[j].Value, j));
            span.Hide(protecting);
        }
        return [.. Enumerable.Range(0, cells.Count).Select(i => !span.IsShown(i))];
    }

    // Also checks what the search relies on: a cell with no variable would always be "recoverable"
    // (the empty sum) with nothing to hide beside it, and a repeated variable is no 0/1 vector.
    private static List<int>[] CellsByVariable(IReadOnlyList<Cell> cells)
    {
        var dimension = cells.Count == 0 ? 0 : cells.Max(c => c.Variables.Count == 0 ? 0 : c.Variables.Max() + 1);
        var cellsWith = Enumerable.Range(0, dimension).Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < cells.Count; i++)
        {
            var variables = cells[i].Variables;
            if (variables.Count == 0 || variables.Any(v => v < 0) || variables.Distinct().Count() != variables.Count)
                throw new ArgumentException($"Cell {i} must sum at least one variable, each once, none negative.", nameof(cells));
            if (cells[i].Value < 0)
                throw new ArgumentException($"Cell {i} is a count and cannot be negative.", nameof(cells));
            foreach (var v in variables)
                cellsWith[v].Add(i);
        }
        return cellsWith;
    }
}

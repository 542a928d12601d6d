using System.Globalization;
using System.Text;

namespace Alice.Testing;

/// <summary>
/// The figures a suite that tries to break the service measured (requests sent, 5xx seen, the slowest
/// answer a caller got), as a table: written to the test's output and to a file of its own under
/// <c>ALICE_FIGURES_DIR</c>, which infra/test prints after the summary. A test still asserts its goals
/// itself; the table is what a reader of the run sees of them.
/// </summary>
public static class Figures
{
    public static string Folder => Environment.GetEnvironmentVariable("ALICE_FIGURES_DIR") is { Length: > 0 } dir
        ? dir
        : Path.Combine(Repository.Root, "TestResults", "figures");

    /// <summary>Writes the table (a header row, then the rows) under its title, and returns it as printed.</summary>
    public static string Write(string title, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<object>> rows)
    {
        var cells = new List<string[]> { header.ToArray() };
        cells.AddRange(rows.Select(r => r.Select(Format).ToArray()));
        var widths = Enumerable.Range(0, header.Count).Select(i => cells.Max(r => i < r.Length ? r[i].Length : 0)).ToArray();
        var text = new StringBuilder();
        var database = Environment.GetEnvironmentVariable("ALICE_TEST_DATABASE") is { Length: > 0 } d ? d : "Sqlite";
        text.AppendLine(CultureInfo.InvariantCulture, $"{title} ({database})");
        foreach (var (row, i) in cells.Select((r, i) => (r, i)))
        {
            text.AppendLine(string.Join("  ", row.Select((c, j) => j == 0 ? c.PadRight(widths[j]) : c.PadLeft(widths[j]))).TrimEnd());
            if (i == 0) text.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        }
        Directory.CreateDirectory(Folder);
        var file = string.Concat(title.Select(c => char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-')) + "." + database.ToLowerInvariant() + ".txt";
        File.WriteAllText(Path.Combine(Folder, file), text.ToString());
        Console.WriteLine(text);
        return text.ToString();
    }

    private static string Format(object value) => value switch
    {
        double d => d.ToString("0.0", CultureInfo.InvariantCulture),
        TimeSpan t => t.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

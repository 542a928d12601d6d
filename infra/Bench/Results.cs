using System.Globalization;

namespace Alice.Bench;

/// <summary>
/// One database's figures, kept in a file between the load generator's runs (each part of infra/bench has
/// a service process of its own) until <c>report</c> prints both databases side by side. One
/// "key TAB value" a line, appended; the script adds its own (the start-up times) the same way.
/// </summary>
internal static class Results
{
    public static void Add(string file, string key, object value) =>
        File.AppendAllText(file, $"{key}\t{Convert.ToString(value, CultureInfo.InvariantCulture)}\n");

    /// <summary>The figures in the file (none if that database was not run); a key added twice keeps its last value.</summary>
    public static Dictionary<string, string> Read(string file)
    {
        var figures = new Dictionary<string, string>();
        if (!File.Exists(file)) return figures;
        foreach (var line in File.ReadLines(file))
            if (line.Split('\t', 2) is [var key, var value]) figures[key] = value;
        return figures;
    }
}

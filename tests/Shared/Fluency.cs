using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;
using Alice.Web;

namespace Alice.Testing;

/// <summary>
/// Every text the service shows or says, found where the code keeps them (static fields of <see cref="Text"/>,
/// and arrays and dictionaries of them, in any type of the assemblies given, pages included), and what is
/// wrong with each: a language empty, one a copy of another, or placeholders ({0}, {1:HH:mm}) not the same in
/// all three. A copy is allowed only for the words listed by the caller: proper names, codes, bare placeholders.
/// </summary>
public static partial class Fluency
{
    /// <summary>Each text with where it is kept ("Type.Field" or "Type.Field[key]").</summary>
    public static List<(string Where, Text Text)> TextsIn(params Assembly[] assemblies)
    {
        var found = new List<(string, Text)>();
        foreach (var type in assemblies.SelectMany(a => a.GetTypes()).Where(t => !t.ContainsGenericParameters))
            foreach (var field in type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (!IsTextHolder(field.FieldType)) continue;
                var where = $"{type.Name}.{field.Name}";
                switch (field.GetValue(null))
                {
                    case Text text: found.Add((where, text)); break;
                    case IDictionary dictionary:
                        foreach (DictionaryEntry e in dictionary)
                            if (e.Value is Text t) found.Add(($"{where}[{e.Key}]", t));
                        break;
                    case IEnumerable many:
                        var i = 0;
                        foreach (var item in many)
                            if (item is Text t) found.Add(($"{where}[{i++}]", t));
                        break;
                }
            }
        return found;
    }

    /// <summary>What is wrong with each text, one line each; empty when every text reads in all three languages.</summary>
    public static List<string> Faults(IEnumerable<(string Where, Text Text)> texts, IReadOnlySet<string> sameInEveryLanguage)
    {
        var faults = new List<string>();
        foreach (var (where, text) in texts)
        {
            (string Language, string Said)[] said = [("fr", text.Fr), ("nl", text.Nl), ("en", text.En)];
            foreach (var (language, s) in said.Where(l => string.IsNullOrWhiteSpace(l.Said)))
                faults.Add($"{where}: no {language} text");
            foreach (var (a, b) in new[] { (0, 1), (0, 2), (1, 2) })
                if (said[a].Said == said[b].Said && !string.IsNullOrWhiteSpace(said[a].Said) && !sameInEveryLanguage.Contains(said[a].Said))
                    faults.Add($"{where}: the {said[b].Language} text is a copy of the {said[a].Language} one (\"{said[a].Said}\")");
            var placeholders = said.Select(l => string.Join(" ", Placeholder().Matches(l.Said).Select(m => m.Value).Order(StringComparer.Ordinal))).ToArray();
            if (placeholders.Distinct().Count() > 1)
                faults.Add($"{where}: placeholders differ (fr \"{placeholders[0]}\", nl \"{placeholders[1]}\", en \"{placeholders[2]}\")");
        }
        return faults;
    }

    private static bool IsTextHolder(Type type) =>
        type == typeof(Text) || (type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type)
            && (type.GetElementType() == typeof(Text) || type.GetGenericArguments().Contains(typeof(Text))));

    [GeneratedRegex(@"\{\d+(:[^}]*)?\}")]
    private static partial Regex Placeholder();
}

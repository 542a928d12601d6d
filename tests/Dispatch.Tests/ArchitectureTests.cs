using System.Text.RegularExpressions;

namespace Alice.Dispatch.Tests;

/// <summary>
/// The rooms of src/Dispatch depend on each other in one direction only, so each keeps one owner: no
/// folder uses one that uses it back, and the shared helpers at the root use no room. Read from the
/// source, as a reviewer would.
/// </summary>
public partial class ArchitectureTests
{
    /// <summary>The host's composition: the only files at the root that may use the rooms.</summary>
    private static readonly string[] Composition = ["Program.cs", "DispatchHost.cs", "Lifecycle.cs"];

    /// <summary>A name reached through the service's namespace: Alice.Dispatch.X, global::Alice.Dispatch.X, Dispatch.X (inside Alice).</summary>
    [GeneratedRegex(@"\bDispatch\s*\.\s*([A-Z][A-Za-z]+)\b")]
    private static partial Regex QualifiedReference();

    /// <summary>An alias of the service's namespace (<c>using D = Alice.Dispatch;</c>), through which <c>D.Campuses</c> names a room.</summary>
    [GeneratedRegex(@"\busing\s+([A-Za-z_]\w*)\s*=\s*(?:global\s*::\s*)?Alice\s*\.\s*Dispatch\s*;")]
    private static partial Regex NamespaceAlias();

    [Fact]
    public void No_room_of_the_dispatch_service_uses_one_that_uses_it_back()
    {
        var graph = Rooms().ToDictionary(room => room.Name, room => Uses(room.Files).Where(used => used != room.Name).ToHashSet());
        Assert.True(graph.Count >= 8, "the rooms were not found: " + string.Join(", ", graph.Keys));

        foreach (var room in graph.Keys)
        {
            var reached = Reachable(graph, room);
            Assert.False(reached.Contains(room), $"{room} depends on itself through {string.Join(", ", reached.Where(r => Reachable(graph, r).Contains(room)))}");
        }
    }

    /// <summary>The detection itself, over planted sources: each names Campuses in a way C# resolves to the room.</summary>
    [Theory]
    [InlineData("namespace Alice.Dispatch.Police;\nsealed class V(IOptions<Campuses.HotlineOptions> hotline);")]
    [InlineData("namespace Alice.Dispatch.Police;\nsealed class V { bool Placeholder(string n) => Campuses . PlaceholderNumbers.In(n); }")]
    [InlineData("namespace Alice.Dispatch.Police;\nsealed class V(IOptions<Dispatch.Campuses.HotlineOptions> hotline);")]
    [InlineData("namespace Alice.Dispatch.Police;\nusing D = global::Alice.Dispatch;\nsealed class V(IOptions<D.Campuses.HotlineOptions> hotline);")]
    [InlineData("namespace Alice.Dispatch.Police;\nusing D = Alice.Dispatch;\nsealed class V(IOptions<D::Campuses.HotlineOptions> hotline);")]
    [InlineData("namespace Alice.Dispatch.Police;\nsealed class V(IOptions<global::Alice.Dispatch.Campuses.HotlineOptions> hotline);")]
    [InlineData("namespace Alice.Dispatch.Police;\nusing static Alice.Dispatch.Campuses.PlaceholderNumbers;")]
    [InlineData("namespace Alice.Dispatch.Police;\n// the hotline's numbers are checked by Alice.Dispatch.Campuses.PlaceholderNumbers")]
    public void A_room_named_in_any_way_the_compiler_accepts_is_found(string source) =>
        Assert.Equal(["Campuses", "Police"], UsesIn(source, PlantedRooms).Order()); // Police: the file's own namespace

    /// <summary>The other side: the same names where they name no room are not taken for one.</summary>
    [Theory]
    [InlineData("namespace Alice.Dispatch.Police;\nsealed class V { int N(Figures figures) => figures.Campuses.Count; }")]
    [InlineData("namespace Alice.Dispatch.Police;\nsealed class Rest { Task Send() => PostAsync(\"Messages.json\"); }")]
    [InlineData("namespace Alice.Dispatch.Police;\nsealed class V { string Key => \"Campuses:Numbers\"; }")]
    public void A_room_s_name_that_names_no_room_is_not_taken_for_one(string source) =>
        Assert.Equal(["Police"], UsesIn(source, PlantedRooms));

    private static readonly string[] PlantedRooms = ["Campuses", "Messages", "Police"];

    [Fact]
    public void The_shared_helpers_at_the_root_use_no_room()
    {
        var helpers = Directory.GetFiles(Source, "*.cs").Where(f => !Composition.Contains(Path.GetFileName(f))).ToList();
        Assert.NotEmpty(helpers);
        foreach (var helper in helpers) Assert.Empty(Uses([helper]));
    }

    /// <summary>A service, options class or HTTP client put in the container: <c>AddSingleton&lt;T&gt;</c>, <c>AddSingleton&lt;IContract, T&gt;</c>, <c>AddValidatedOptions&lt;T, T.Validator&gt;</c>…</summary>
    [GeneratedRegex(@"\.(?:AddSingleton|AddScoped|AddTransient|AddHostedService|AddHttpClient|AddValidatedOptions|AddOptions)\s*<\s*(?:[\w.]+\s*,\s*(?=[A-Z]\w*\s*>))?([A-Z]\w*)")]
    private static partial Regex Registration();

    /// <summary>
    /// Each service of the dispatch service is registered by the room that declares it, in its AddX(): whoever
    /// wants to know what a room brings reads one method, and a room used by several (the Twilio account, the
    /// totals) is not wired up by whichever of its users came first.
    /// </summary>
    [Fact]
    public void Each_room_registers_only_what_it_declares()
    {
        var declaredIn = Rooms().SelectMany(room => room.Files.SelectMany(f => Declaration().Matches(File.ReadAllText(f)).Select(m => (Type: m.Groups[1].Value, Room: room.Name))))
            .Concat(Directory.GetFiles(Source, "*.cs").SelectMany(f => Declaration().Matches(File.ReadAllText(f)).Select(m => (Type: m.Groups[1].Value, Room: "(root)"))))
            .ToLookup(d => d.Type, d => d.Room);
        var registrations = Rooms().SelectMany(room => room.Files.SelectMany(f => Registration().Matches(File.ReadAllText(f))
            .Select(m => (Room: room.Name, File: Path.GetFileName(f), Type: m.Groups[1].Value)))).ToList();
        Assert.True(registrations.Count >= 30, $"the registrations were not found: {registrations.Count}");
        var elsewhere = registrations.Where(r => declaredIn[r.Type].Any() && !declaredIn[r.Type].Contains(r.Room))
            .Select(r => $"{r.Room}/{r.File} registers {r.Type}, declared in {string.Join(", ", declaredIn[r.Type])}").ToList();
        Assert.True(elsewhere.Count == 0, string.Join("\n", elsewhere));
    }

    [GeneratedRegex(@"\b(?:class|record|interface|enum|struct)\s+([A-Z]\w*)")]
    private static partial Regex Declaration();

    /// <summary>Each configuration section is one options class: its settings, their defaults and their checks in one place.</summary>
    [Fact]
    public void Each_configuration_section_is_bound_by_one_options_class()
    {
        var sources = Directory.GetFiles(Source, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Select(f => (File: Path.GetRelativePath(Source, f), Text: File.ReadAllText(f))).ToList();
        var sections = sources.SelectMany(s => Regex.Matches(s.Text, @"const\s+string\s+Section\s*=\s*""(\w+)""").Select(m => (Section: m.Groups[1].Value, s.File))).ToList();
        Assert.True(sections.Count >= 8, $"the options classes were not found: {sections.Count}");
        foreach (var twice in sections.GroupBy(s => s.Section).Where(g => g.Count() > 1))
            Assert.Fail($"the {twice.Key} section is bound by more than one class: {string.Join(", ", twice.Select(s => s.File))}");
        // And bound only through AddValidatedOptions with the class's own Section: no second class on a section by another name.
        var bound = sources.Where(s => Regex.IsMatch(s.Text, @"\bBind\s*\(") && s.File != "ValidatedOptions.cs").Select(s => s.File).ToList();
        Assert.True(bound.Count == 0, "options bound outside AddValidatedOptions: " + string.Join(", ", bound));
    }

    [Fact]
    public void Only_the_centre_console_reaches_the_police_notifier()
    {
        var users = Rooms().Where(room => room.Name != "Police" && Uses(room.Files).Contains("Police")).Select(room => room.Name).ToList();
        Assert.Equal(["Centre", "Retention"], users);
        // Retention only deletes delivered requests with their rides: it never sends one.
        var retention = Rooms().Single(room => room.Name == "Retention").Files.Where(f => Uses([f]).Contains("Police")).ToList();
        Assert.Equal(["RetentionSweep.cs"], retention.Select(Path.GetFileName));
        Assert.DoesNotContain("PoliceNotifier", File.ReadAllText(retention.Single()));
        // And the police room itself reaches neither the hotline, the partners nor the booking jobs.
        var police = Rooms().Single(room => room.Name == "Police");
        Assert.Empty(Uses(police.Files).Intersect(["Telephony", "Partners", "Booking", "DevPhone", "Centre"]));
        // In the centre, only its desk and console endpoints ask for the police.
        var centre = Rooms().Single(room => room.Name == "Centre").Files.Where(f => Uses([f]).Contains("Police")).Select(Path.GetFileName).Order();
        Assert.Equal(["Board.cs", "CentreDesk.cs", "CentreEndpoints.cs"], centre);
    }

    [Fact]
    public void The_accounts_library_references_no_host()
    {
        // Only the signatures library and the web defaults, libraries that reference nothing of Alice's themselves.
        var project = System.Xml.Linq.XDocument.Load(Path.Combine(Repository.Root, "src", "Accounts", "Alice.Accounts.csproj"));
        Assert.Equal(["Alice.Signatures.csproj", "Alice.Web.csproj"], project.Descendants("ProjectReference").Select(r => Path.GetFileName((string)r.Attribute("Include")!)).Order());
        foreach (var library in new[] { Path.Combine("Signatures", "Alice.Signatures.csproj"), Path.Combine("Web", "Alice.Web.csproj") })
            Assert.Empty(System.Xml.Linq.XDocument.Load(Path.Combine(Repository.Root, "src", library)).Descendants("ProjectReference"));
        var sources = new[] { "Accounts", "Web" }.SelectMany(library => new[] { "*.cs", "*.razor" }.SelectMany(pattern =>
                Directory.GetFiles(Path.Combine(Repository.Root, "src", library), pattern, SearchOption.AllDirectories)))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")).ToList();
        Assert.NotEmpty(sources);
        // Code only: a string may name a former type (the key ring reads keys that name the decryptor's old place).
        var code = sources.Select(f => (File: f, Code: System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(f), "\"(?:[^\"\\\\]|\\\\.)*\"", "\"\""))).ToList();
        // A host's assembly named as the file an operator runs (Alice.Dispatch.dll, in a comment) is no reference to its code.
        Assert.DoesNotContain(code, f => System.Text.RegularExpressions.Regex.IsMatch(f.Code, @"\bAlice\.(Dispatch|Admin)\b(?!\.dll\b)"));
    }

    private static HashSet<string> Reachable(Dictionary<string, HashSet<string>> graph, string from)
    {
        var seen = new HashSet<string>();
        var next = new Stack<string>(graph[from]);
        while (next.TryPop(out var room))
            if (seen.Add(room) && graph.TryGetValue(room, out var uses)) foreach (var used in uses) next.Push(used);
        return seen;
    }

    private static IEnumerable<(string Name, string[] Files)> Rooms() =>
        Directory.GetDirectories(Source)
            .Where(d => Path.GetFileName(d) is not ("bin" or "obj" or "data"))
            // Pages (*.razor) are code of their room as much as its C# files are.
            .Select(d => (Path.GetFileName(d), new[] { "*.cs", "*.razor" }.SelectMany(pattern => Directory.GetFiles(d, pattern, SearchOption.AllDirectories)).ToArray()));

    /// <summary>The rooms named in these files (usings and qualified names alike), comments included: a reference in a comment is a dependency of the reader.</summary>
    private static IEnumerable<string> Uses(IEnumerable<string> files) =>
        files.SelectMany(f => UsesIn(File.ReadAllText(f), RoomNames)).Distinct();

    /// <summary>
    /// The rooms a source text names: through the service's namespace (however far qualified, global:: or not),
    /// through an alias of it, or partially qualified (<c>Campuses.HotlineOptions</c>), which inside
    /// Alice.Dispatch resolves to a room as surely as the full name does. A room's name after a dot
    /// (<c>figures.Campuses</c>) or before a lower-case one (<c>"Messages.json"</c>) names no room.
    /// </summary>
    internal static IEnumerable<string> UsesIn(string source, IReadOnlyCollection<string> rooms)
    {
        var names = string.Join('|', rooms.Select(Regex.Escape));
        var patterns = new List<string> { QualifiedReference().ToString(), $@"(?<![\w.:]\s*)({names})\s*\.\s*[A-Z]" };
        patterns.AddRange(NamespaceAlias().Matches(source).Select(m => $@"\b{m.Groups[1].Value}\s*(?:\.|::)\s*([A-Z][A-Za-z]+)\b"));
        return patterns.SelectMany(p => Regex.Matches(source, p).Select(m => m.Groups[1].Value)).Distinct();
    }

    private static IReadOnlyCollection<string> RoomNames => [.. Rooms().Select(room => room.Name)];

    private static string Source => Repository.Dispatch;
}

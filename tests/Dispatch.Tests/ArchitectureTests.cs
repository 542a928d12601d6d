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

    [GeneratedRegex(@"\bAlice\.Dispatch\.([A-Z][A-Za-z]+)\b")]
    private static partial Regex RoomReference();

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

    [Fact]
    public void The_shared_helpers_at_the_root_use_no_room()
    {
        var helpers = Directory.GetFiles(Source, "*.cs").Where(f => !Composition.Contains(Path.GetFileName(f))).ToList();
        Assert.NotEmpty(helpers);
        foreach (var helper in helpers) Assert.Empty(Uses([helper]));
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
        var project = File.ReadAllText(Path.Combine(Repository.Root, "src", "Accounts", "Alice.Accounts.csproj"));
        Assert.DoesNotContain("ProjectReference", project);
        var sources = Directory.GetFiles(Path.Combine(Repository.Root, "src", "Accounts"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")).ToList();
        Assert.NotEmpty(sources);
        // Code only: a string may name a former type (the key ring reads keys that name the decryptor's old place).
        var code = sources.Select(f => (File: f, Code: System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(f), "\"(?:[^\"\\\\]|\\\\.)*\"", "\"\""))).ToList();
        Assert.DoesNotContain(code, f => f.Code.Contains("Alice.Dispatch") || f.Code.Contains("Alice.Admin"));
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
            .Select(d => (Path.GetFileName(d), Directory.GetFiles(d, "*.cs", SearchOption.AllDirectories)));

    /// <summary>The rooms named in these files (usings and qualified names alike), comments included: a reference in a comment is a dependency of the reader.</summary>
    private static IEnumerable<string> Uses(IEnumerable<string> files) =>
        files.SelectMany(f => RoomReference().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value)).Distinct();

    private static string Source => Repository.Dispatch;
}

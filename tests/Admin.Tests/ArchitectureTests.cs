using System.Reflection;
using System.Xml.Linq;
using Alice.Admin.Tests.Support;

namespace Alice.Admin.Tests;

/// <summary>The panel depends on nothing of the dispatch service (only on the libraries: accounts, web defaults, totals): not in its project references, not in its assemblies, not in what it loads.</summary>
public class ArchitectureTests(Panel panel) : IClassFixture<Panel>
{
    [Fact]
    public void The_panel_references_no_project_of_the_dispatch_service_directly_or_through_another()
    {
        var seen = new HashSet<string>();
        var pending = new Stack<string>([Path.Combine(Repository.Root, "src", "Admin", "Alice.Admin.csproj")]);
        while (pending.TryPop(out var project))
        {
            if (!seen.Add(Path.GetFullPath(project))) continue;
            foreach (var reference in XDocument.Load(project).Descendants("ProjectReference"))
                pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, (string)reference.Attribute("Include")!)));
        }

        Assert.Equal(["Alice.Accounts.csproj", "Alice.Admin.csproj", "Alice.Signatures.csproj", "Alice.Totals.csproj", "Alice.Web.csproj"], seen.Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task Serving_its_pages_loads_no_assembly_of_the_dispatch_service()
    {
        using var client = panel.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost") });
        Assert.True((await client.GetAsync("/account/login")).IsSuccessStatusCode);

        var referenced = Closure(typeof(Program).Assembly.GetName());
        var loaded = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name!).ToList();

        Assert.Contains("Alice.Accounts", referenced);
        Assert.Contains("Alice.Admin", loaded);
        Assert.DoesNotContain(referenced, name => name.StartsWith("Alice.Dispatch", StringComparison.Ordinal));
        Assert.DoesNotContain(loaded, name => name.StartsWith("Alice.Dispatch", StringComparison.Ordinal));
    }

    /// <summary>The names of the project's own assemblies the panel references, and theirs, all the way down.</summary>
    private static HashSet<string> Closure(AssemblyName root)
    {
        var names = new HashSet<string>();
        var pending = new Stack<AssemblyName>([root]);
        while (pending.TryPop(out var name))
        {
            if (!name.Name!.StartsWith("Alice.", StringComparison.Ordinal) || !names.Add(name.Name)) continue;
            foreach (var reference in Assembly.Load(name).GetReferencedAssemblies()) pending.Push(reference);
        }
        return names;
    }
}

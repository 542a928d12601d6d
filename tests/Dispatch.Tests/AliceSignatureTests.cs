using System.Text;
using Alice.Dispatch.Partners;

namespace Alice.Dispatch.Tests;

public class AliceSignatureTests
{
    [Fact]
    public void The_example_in_the_partner_api_document_signs_as_documented()
    {
        var header = AliceSignature.Create("example-partner-secret-0123456789abcdef", 1763769600, Encoding.UTF8.GetBytes("{\"reference\":\"4729\"}"));
        Assert.Equal("t=1763769600,v1=3451e12bb9d3794c8bac0255dc1a58641f2a86736139e67d6070cf624e5e03dd", header);

        var document = File.ReadAllText(Path.Combine(RepoRoot(), "src", "Dispatch", "Partners", "partner-api-v1.md"));
        Assert.Contains(header, document);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Alice.sln"))) return dir.FullName;
        throw new InvalidOperationException("Alice.sln not found.");
    }
}

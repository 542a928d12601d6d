namespace Alice.Testing;

/// <summary>Where the repository is, found from the test's output folder.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>The configuration the tests were built in (Debug, Release): the hosts they start as processes were built in the same.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    /// <summary>src/Dispatch: the service's sources and its appsettings.json.</summary>
    public static string Dispatch => Path.Combine(Root, "src", "Dispatch");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Alice.sln"))) return dir.FullName;
        throw new InvalidOperationException("Alice.sln not found above the test output folder.");
    }
}

namespace Alice.Dispatch.Tests.Support;

/// <summary>Every byte of the files in a service's folder (its SQLite database with -wal and -shm), read while the database may hold them open.</summary>
internal static class DatabaseFiles
{
    public static List<(string Name, byte[] Bytes)> Read(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => (Path.GetFileName(f), ReadShared(f))).ToList()
            : [];

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

namespace Alice.Dispatch.Tests.Support;

/// <summary>Every byte of the files in a service's folder (its SQLite database with -wal and -shm), read while the database may hold them open.</summary>
internal static class DatabaseFiles
{
    /// <summary>
    /// When the database's last open connection closes (the connection pool closes idle ones), SQLite copies
    /// the -wal into the file and deletes the -wal and the -shm: a file listed but gone by the time it is read
    /// makes the whole folder be read again, so that what the -wal held is read in the file instead.
    /// </summary>
    public static List<(string Name, byte[] Bytes)> Read(string folder)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return Directory.Exists(folder)
                    ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => (Path.GetFileName(f), ReadShared(f))).ToList()
                    : [];
            }
            catch (FileNotFoundException) when (attempt < 5)
            {
            }
        }
    }

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

namespace Alice.Dispatch.Storage.Sqlite;

/// <summary>
/// The database holds rides and the centre's audit: no other user of the machine may read it. Its folder
/// is made 0700 and its files (the database, its -wal, -shm and -journal) 0600, whatever the process's
/// umask. SQLite makes the -wal, -shm and -journal files with the database file's own mode, so the
/// database file is made here, 0600, before SQLite first opens it (tested on a fresh folder).
/// </summary>
internal static class PrivateFiles
{
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private static readonly string[] Companions = ["", "-wal", "-shm", "-journal"];

    /// <summary>Makes the folder and the database file the service's own before the database is opened.</summary>
    public static void Prepare(string file)
    {
        if (OperatingSystem.IsWindows()) return; // no Unix modes there; the service is deployed on Linux
        var folder = Path.GetDirectoryName(file)!;
        if (!Directory.Exists(folder)) Directory.CreateDirectory(folder, FolderMode);
        // A folder shared with other things (/tmp, the working directory) keeps its mode: changing it
        // would lock their owners out. The database's own folder is made private like its files.
        else if (HoldsOnlyTheDatabase(folder, file)) File.SetUnixFileMode(folder, FolderMode);

        using (new FileStream(file, new FileStreamOptions { Mode = System.IO.FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, UnixCreateMode = FileMode })) { }
        // Files an earlier release made with the umask's mode (0644, say) are tightened too.
        foreach (var companion in Companions.Select(suffix => file + suffix).Where(File.Exists))
            File.SetUnixFileMode(companion, FileMode);
    }

    private static bool HoldsOnlyTheDatabase(string folder, string file) =>
        Directory.EnumerateFileSystemEntries(folder).All(entry => Companions.Any(suffix => entry == file + suffix));
}

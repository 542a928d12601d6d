using System.Text;

namespace Alice.Dispatch.Tests.Support;

/// <summary>What a service under test holds at rest, read as an attacker with a copy of its database would.</summary>
internal static class AtRest
{
    /// <summary>
    /// What the database holds: on SQLite every byte of its files (-wal and -shm included); on PostgreSQL,
    /// whose files hold other databases too, every row of every table, the job store's among them.
    /// </summary>
    public static async Task<List<(string Name, byte[] Bytes)>> ReadAsync(DispatchApp app) =>
        !TestDatabase.IsPostgres
            ? DatabaseFiles.Read(app.Folder)
            : (await app.Database.DumpTablesAsync()).Select(t => (t.Name, Encoding.UTF8.GetBytes(t.Text))).ToList();

    /// <summary>The file (or table) that holds this text, in UTF-8 or UTF-16, or null when none does.</summary>
    public static string? WhereIs(IEnumerable<(string Name, byte[] Bytes)> files, string text) =>
        files.FirstOrDefault(f => Contains(f.Bytes, Encoding.UTF8.GetBytes(text)) || Contains(f.Bytes, Encoding.Unicode.GetBytes(text))).Name;

    public static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}

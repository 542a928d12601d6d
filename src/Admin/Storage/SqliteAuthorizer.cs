using SQLitePCL;

namespace Alice.Admin.Storage;

/// <summary>
/// What a SQLite connection of the panel may touch, checked by SQLite itself as each statement is
/// prepared (<c>sqlite3_set_authorizer</c>): reading a column of any other table, or any other kind of
/// statement (delete, create, attach, pragma…), fails with "not authorized".
/// </summary>
internal sealed class SqliteAuthorizer
{
    /// <summary>The totals, read only.</summary>
    public static readonly SqliteAuthorizer TotalsOnly = new(read: ["weekly_totals"], insert: [], update: []);

    /// <summary>Accounts read and changed, the audit added to (not read), the key ring read.</summary>
    public static readonly SqliteAuthorizer AccountsOnly = new(read: ["accounts", "data_protection_keys"], insert: ["accounts", "audit_log"], update: ["accounts"]);

    private readonly HashSet<string> _read, _insert, _update;
    private readonly strdelegate_authorizer _check;

    private SqliteAuthorizer(string[] read, string[] insert, string[] update)
    {
        // SQL names are case-insensitive: WEEKLY_TOTALS is the same table, RIDES too.
        (_read, _insert, _update) = (new(read, StringComparer.OrdinalIgnoreCase), new(insert, StringComparer.OrdinalIgnoreCase), new(update, StringComparer.OrdinalIgnoreCase));
        _check = Check; // one delegate for the process: SQLite holds on to it
    }

    public void Apply(sqlite3 db)
    {
        if (raw.sqlite3_set_authorizer(db, _check, null) != raw.SQLITE_OK) throw new InvalidOperationException("Could not limit the panel's database connection.");
    }

    private int Check(object userData, int action, string table, string column, string database, string trigger) => action switch
    {
        raw.SQLITE_SELECT or raw.SQLITE_FUNCTION or raw.SQLITE_TRANSACTION => raw.SQLITE_OK,
        raw.SQLITE_READ when _read.Contains(table) => raw.SQLITE_OK,
        raw.SQLITE_INSERT when _insert.Contains(table) => raw.SQLITE_OK,
        raw.SQLITE_UPDATE when _update.Contains(table) => raw.SQLITE_OK,
        _ => raw.SQLITE_DENY,
    };
}

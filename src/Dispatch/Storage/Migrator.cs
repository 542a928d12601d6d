using Dapper;

namespace Alice.Dispatch.Storage;

/// <summary>
/// Applies the versioned SQL scripts embedded under Storage/Migrations in name order, once each.
/// Plain scripts rather than EF Core migrations: the EF design-time tooling is not available to this
/// project, and a reviewer can read exactly what the schema is.
/// </summary>
internal sealed class Migrator(Database database, ILogger<Migrator> logger)
{
    public async Task MigrateAsync(CancellationToken ct)
    {
        database.EnsureFolder();
        await using var connection = await database.Durable.OpenConnectionAsync(ct);
        // WAL lets the hotline read while a job writes; it is a property of the file, so set once here.
        // synchronous stays at SQLite's default FULL: a booking is on disk before the caller hears the code.
        await connection.ExecuteAsync("PRAGMA journal_mode=WAL;");
        await connection.ExecuteAsync(
            "CREATE TABLE IF NOT EXISTS schema_versions (version TEXT PRIMARY KEY, applied_at INTEGER NOT NULL);");
        var applied = (await connection.QueryAsync<string>("SELECT version FROM schema_versions;")).ToHashSet();

        var assembly = typeof(Migrator).Assembly;
        var scripts = assembly.GetManifestResourceNames()
            .Where(n => n.Contains(".Storage.Migrations.", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        foreach (var resource in scripts)
        {
            var version = resource[(resource.IndexOf(".Migrations.", StringComparison.Ordinal) + 12)..^4];
            if (applied.Contains(version)) continue;
            await using var stream = assembly.GetManifestResourceStream(resource)!;
            var sql = await new StreamReader(stream).ReadToEndAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            await connection.ExecuteAsync(sql, transaction: tx);
            await connection.ExecuteAsync(
                "INSERT INTO schema_versions (version, applied_at) VALUES (@version, @now);",
                new { version, now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() }, tx);
            await tx.CommitAsync(ct);
            logger.LogInformation("Applied database migration {Version}", version);
        }
    }
}

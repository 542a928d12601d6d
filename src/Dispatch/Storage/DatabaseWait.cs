using Microsoft.Extensions.Options;
using Npgsql;

namespace Alice.Dispatch.Storage;

/// <summary>
/// Boot in any order: a step that needs the database (the migration, an instance's check of its schema)
/// is tried again while the database refuses or is not ready yet, up to <c>Database:WaitSeconds</c>, with a
/// log line at each try, so that nobody has to start the service again after a slow database.
/// </summary>
internal sealed class DatabaseWait(IOptions<DatabaseOptions> options, TimeProvider clock, ILogger<DatabaseWait> logger)
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Runs the attempt until it returns null (done). A text is why not yet; a transient database failure
    /// (refused, reset, starting up) is one too. Past the bound, the last failure is thrown.
    /// </summary>
    public async Task UntilDoneAsync(string what, Func<CancellationToken, Task<string?>> attempt, CancellationToken ct)
    {
        var deadline = clock.GetUtcNow().AddSeconds(options.Value.WaitSeconds);
        while (true)
        {
            string? notYet;
            try
            {
                notYet = await attempt(ct);
            }
            catch (Exception e) when (Refusing(e) && clock.GetUtcNow() < deadline)
            {
                // The type only: a driver's message can carry the connection string's host or user.
                notYet = $"the database does not answer yet ({Innermost(e)})";
            }
            if (notYet is null) return;
            var left = deadline - clock.GetUtcNow();
            if (left <= TimeSpan.Zero) throw new InvalidOperationException(notYet);
            logger.LogWarning("{What}: {Reason}; trying again in {Every} s, for {Left} s more at most (Database:WaitSeconds).",
                what, notYet, Every.TotalSeconds, (int)left.TotalSeconds);
            await Task.Delay(Every, clock, ct);
        }
    }

    /// <summary>What passes with time: no connection, a server starting or shutting down, too many clients.</summary>
    private static bool Refusing(Exception e) => e switch
    {
        NpgsqlException { IsTransient: true } => true,
        _ => e.InnerException is { } inner && Refusing(inner),
    };

    private static string Innermost(Exception e) => e switch
    {
        PostgresException postgres => $"PostgreSQL {postgres.SqlState}",
        { InnerException: { } inner } => Innermost(inner),
        _ => e.GetType().Name,
    };
}

using System.Data.Common;
using System.Security.Cryptography;
using Alice.Dispatch.Storage;
using Alice.Dispatch.Twilio;
using Dapper;
using Microsoft.AspNetCore.DataProtection;

namespace Alice.Dispatch.Retention;

/// <summary>
/// Twilio's own record of each ended call and each car message sent (its logs hold the caller's number),
/// deleted through the REST API. Until Twilio confirms, the SID is held only encrypted under a purpose of
/// its own; the row, and so the ciphertext, is erased as soon as the record is gone. Retried with a
/// growing pause while Twilio fails or will not delete yet (a message still being delivered), for a week at most.
/// </summary>
internal sealed class TwilioRecords(Database database, IDataProtectionProvider protection, TwilioRest twilio, TimeProvider clock, ILogger<TwilioRecords> logger)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Alice.Retention.TwilioSid");

    /// <summary>About a week of attempts at the longest pause: past that the record is left to Twilio's own retention, and the ciphertext goes anyway.</summary>
    private const int GiveUpAfterAttempts = 700;
    private static readonly TimeSpan LongestPause = TimeSpan.FromMinutes(15);

    /// <summary>A call has ended: its record is to be deleted. In the caller's transaction (with the call's end).</summary>
    public Task QueueDeletionAsync(DbTransaction tx, TwilioRecord record, string sid, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(Queue(record, sid, tx, ct));

    /// <summary>A message was sent: its record is to be deleted once Twilio has delivered it.</summary>
    public async Task QueueDeletionAsync(TwilioRecord record, string sid, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(Queue(record, sid, null, ct));
    }

    private CommandDefinition Queue(TwilioRecord record, string sid, DbTransaction? tx, CancellationToken ct) => new(
        "INSERT INTO twilio_deletions (id, resource, sid_protected, next_attempt_at) VALUES (@id, @resource, @sid, @now);",
        new { id = Guid.NewGuid().ToString(), resource = record.Resource(), sid = _protector.Protect(sid), now = Now }, tx, cancellationToken: ct);

    /// <summary>Deletes every record that is due; returns how many Twilio deleted.</summary>
    public async Task<int> DeleteDueAsync(CancellationToken ct)
    {
        IReadOnlyList<Row> due;
        await using (var connection = await database.OpenAsync(ct))
            due = (await connection.QueryAsync<Row>(new CommandDefinition(
                "SELECT id AS Id, resource AS Resource, sid_protected AS Protected, attempts AS Attempts FROM twilio_deletions WHERE next_attempt_at <= @now;",
                new { now = Now }, cancellationToken: ct))).AsList();
        var deleted = 0;
        var erased = 0;
        foreach (var row in due)
            switch (await TryDeleteAsync(row, ct))
            {
                case Attempt.Deleted:
                    deleted++;
                    erased += await EraseAsync(row.Id, ct);
                    break;
                case Attempt.Unreadable:
                    // The key ring no longer opens it: nothing can be done with it but erase it.
                    logger.LogError("An encrypted {Resource} SID could not be read; it is erased and its Twilio record left to Twilio", row.Resource);
                    erased += await EraseAsync(row.Id, ct);
                    break;
                case Attempt.Failed when row.Attempts + 1 >= GiveUpAfterAttempts:
                    logger.LogError("A {Resource} record could not be deleted at Twilio within a week; its encrypted SID is erased, the record is left to Twilio", row.Resource);
                    erased += await EraseAsync(row.Id, ct);
                    break;
                default:
                    await PauseAsync(row, ct);
                    break;
            }
        // As the car messages do: an erased ciphertext leaves the database's files now, not at the next checkpoint.
        if (erased > 0) await database.ScrubDeletedAsync(ct);
        return deleted;
    }

    private enum Attempt { Deleted, Unreadable, Failed }

    private async Task<Attempt> TryDeleteAsync(Row row, CancellationToken ct)
    {
        string sid;
        // Only this class writes the resource, Calls or Messages; anything else is as unusable as a SID the ring cannot open.
        if (TwilioResources.Parse(row.Resource) is not { } record) return Attempt.Unreadable;
        try { sid = _protector.Unprotect(row.Protected); }
        catch (CryptographicException) { return Attempt.Unreadable; }
        try
        {
            await twilio.DeleteRecordAsync(record, sid, ct);
            return Attempt.Deleted;
        }
        catch (Exception e) when (e is TwilioRestException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("Deleting a {Resource} record at Twilio failed ({Error}); tried again later", row.Resource, e.GetType().Name);
            return Attempt.Failed;
        }
    }

    private async Task PauseAsync(Row row, CancellationToken ct)
    {
        var pause = RetryPause.Doubling((int)row.Attempts + 1, TimeSpan.FromSeconds(5), LongestPause);
        await database.ExecuteAsync(
            "UPDATE twilio_deletions SET attempts = attempts + 1, next_attempt_at = @next WHERE id = @id;",
            new { id = row.Id, next = Now + (long)pause.TotalSeconds }, ct);
    }

    private Task<int> EraseAsync(string id, CancellationToken ct) =>
        database.ExecuteAsync("DELETE FROM twilio_deletions WHERE id = @id;", new { id }, ct);

    private long Now => clock.GetUtcNow().ToUnixTimeSeconds();

    private sealed class Row
    {
        public string Id { get; init; } = "";
        public string Resource { get; init; } = "";
        public string Protected { get; init; } = "";
        public long Attempts { get; init; }
    }
}

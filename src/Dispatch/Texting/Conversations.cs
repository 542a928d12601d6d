using Alice.Dispatch.Campuses;
using Alice.Dispatch.Storage;
using Dapper;
using Microsoft.AspNetCore.DataProtection;

namespace Alice.Dispatch.Texting;

/// <summary>A text conversation as the service reads it: the sender's number decrypted, for this request only.</summary>
internal sealed record Conversation(string Id, string CampusId, string Number, Language Language, string? RideId, DateTimeOffset ExpiresAt);

/// <summary>
/// The one door to the text_conversations table: the sender's number and language, encrypted together with
/// Data Protection under a purpose of their own (no other protected value of the service reads as one), for
/// the replies of one ride, two hours at most. A sender is found by decrypting the campus's conversations and
/// comparing: a few at most, and nothing derived from the number (a hash would be) is ever stored.
/// </summary>
internal sealed class Conversations(Database database, IDataProtectionProvider protection, TimeProvider clock)
{
    /// <summary>The longest a number is held, from the first message, whatever happens.</summary>
    public static readonly TimeSpan MaxHold = TimeSpan.FromHours(2);

    private readonly IDataProtector _protector = protection.CreateProtector("Alice.Texting.Sender");

    private const string Columns = """
        id AS Id, campus_id AS CampusId, sender_protected AS SenderProtected, ride_id AS RideId, expires_at AS ExpiresAt
        """;

    /// <summary>This sender's conversation with this campus, if one is held and not expired.</summary>
    public async Task<Conversation?> FindAsync(string campusId, string number, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM text_conversations WHERE campus_id = @campusId AND expires_at > @now ORDER BY expires_at DESC;",
            new { campusId, now = Now }, cancellationToken: ct));
        return rows.Select(Read).FirstOrDefault(c => c?.Number == number);
    }

    /// <summary>Every conversation held, expired or not: what the sweep looks at.</summary>
    public async Task<IReadOnlyList<Conversation>> AllAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM text_conversations;", cancellationToken: ct));
        return rows.Select(r => Read(r) ?? Unreadable(r)).ToList();
    }

    /// <summary>One conversation by its id (the centre's reply names its alert, the alert its conversation).</summary>
    public async Task<Conversation?> ByIdAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM text_conversations WHERE id = @id AND expires_at > @now;", new { id, now = Now }, cancellationToken: ct));
        return row is null ? null : Read(row);
    }

    public async Task<Conversation> StartAsync(string campusId, string number, Language language, CancellationToken ct)
    {
        var id = Guid.NewGuid().ToString("N");
        var expiresAt = clock.GetUtcNow() + MaxHold;
        await database.ExecuteAsync(
            "INSERT INTO text_conversations (id, campus_id, sender_protected, expires_at) VALUES (@id, @campusId, @sender, @expiresAt);",
            new { id, campusId, sender = _protector.Protect(language.Code + " " + number), expiresAt = expiresAt.ToUnixTimeSeconds() }, ct);
        return new Conversation(id, campusId, number, language, null, DateTimeOffset.FromUnixTimeSeconds(expiresAt.ToUnixTimeSeconds()));
    }

    public Task SetLanguageAsync(Conversation c, Language language, CancellationToken ct) => database.ExecuteAsync(
        "UPDATE text_conversations SET sender_protected = @sender, not_understood = 0 WHERE id = @id;",
        new { c.Id, sender = _protector.Protect(language.Code + " " + c.Number) }, ct);

    public Task SetRideAsync(string id, string rideId, CancellationToken ct) =>
        database.ExecuteAsync("UPDATE text_conversations SET ride_id = @rideId, not_understood = 0 WHERE id = @id;", new { id, rideId }, ct);

    /// <summary>How many messages in a row were not understood, this one counted.</summary>
    public async Task<int> NotUnderstoodAsync(string id, CancellationToken ct)
    {
        await database.ExecuteAsync("UPDATE text_conversations SET not_understood = not_understood + 1 WHERE id = @id;", new { id }, ct);
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT not_understood FROM text_conversations WHERE id = @id;", new { id }, cancellationToken: ct));
    }

    public Task UnderstoodAsync(string id, CancellationToken ct) =>
        database.ExecuteAsync("UPDATE text_conversations SET not_understood = 0 WHERE id = @id AND not_understood > 0;", new { id }, ct);

    /// <summary>The sender asked for a person: true the first time only (one alert a conversation).</summary>
    public async Task<bool> AskPersonAsync(string id, CancellationToken ct) =>
        await database.ExecuteAsync(
            "UPDATE text_conversations SET person_asked_at = @now, not_understood = 0 WHERE id = @id AND person_asked_at IS NULL;",
            new { id, now = Now }, ct) == 1;

    /// <summary>Which of these conversations are still here (not yet erased); nothing is decrypted.</summary>
    public async Task<IReadOnlySet<string>> HeldAsync(IReadOnlyList<string> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return new HashSet<string>();
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            $"SELECT id FROM text_conversations WHERE {database.InList("id", "ids")};", new { ids = ids.ToArray() }, cancellationToken: ct))).ToHashSet();
    }

    /// <summary>The number is gone from the table; <see cref="Database.ScrubDeletedAsync"/> makes it leave the files.</summary>
    public Task EraseAsync(System.Data.Common.DbTransaction tx, string id, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition("DELETE FROM text_conversations WHERE id = @id;", new { id }, tx, cancellationToken: ct));

    public Task ScrubErasedAsync(CancellationToken ct) => database.ScrubDeletedAsync(ct);

    /// <summary>The row decrypted; null when the key ring can no longer read it (the sweep erases it).</summary>
    private Conversation? Read(Row r)
    {
        string sender;
        try { sender = _protector.Unprotect(r.SenderProtected); }
        catch (System.Security.Cryptography.CryptographicException) { return null; }
        var space = sender.IndexOf(' ');
        return new Conversation(r.Id, r.CampusId, sender[(space + 1)..], Languages.FromCode(sender[..Math.Max(space, 0)]), r.RideId,
            DateTimeOffset.FromUnixTimeSeconds(r.ExpiresAt));
    }

    /// <summary>A row the key ring cannot open: no number, already expired, so the sweep erases it.</summary>
    private static Conversation Unreadable(Row r) => new(r.Id, r.CampusId, "", Languages.French, r.RideId, DateTimeOffset.MinValue);

    private long Now => clock.GetUtcNow().ToUnixTimeSeconds();

    private sealed class Row
    {
        public string Id { get; init; } = "";
        public string CampusId { get; init; } = "";
        public string SenderProtected { get; init; } = "";
        public string? RideId { get; init; }
        public long ExpiresAt { get; init; }
    }
}

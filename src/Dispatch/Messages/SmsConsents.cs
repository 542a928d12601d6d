using Alice.Dispatch.Campuses;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Storage;
using Dapper;
using Microsoft.AspNetCore.DataProtection;

namespace Alice.Dispatch.Messages;

/// <summary>A caller's consent to get the car by text, as the sender reads it: the number in it is still encrypted.</summary>
internal sealed record SmsConsent(string RideId, string NumberProtected, DateTimeOffset ExpiresAt, int? TextedGeneration, int Failures, DateTimeOffset? NextAttemptAt);

/// <summary>What became of a caller's key press asking for the car by text.</summary>
internal enum ConsentResult
{
    /// <summary>The number is held, encrypted, until the car is texted (or two hours at most).</summary>
    Held,
    /// <summary>The call came from a hidden or unusable number: nothing is held.</summary>
    NoNumber,
    /// <summary>The ride no longer needs it (with a person, on board, ended): nothing is held.</summary>
    TooLate,
}

/// <summary>
/// The one door to the sms_consents table, and the only place the service stores a caller's number:
/// encrypted with Data Protection under a purpose of its own, so no other protected value of the service
/// (a cookie, a second factor) can be read as a number, nor a number as one of them. Decrypted only to
/// hand it to Twilio. Every change is durable: an erasure must not come back after a power cut.
/// </summary>
internal sealed class SmsConsents(Database database, IDataProtectionProvider protection, TimeProvider clock)
{
    /// <summary>The longest a number is held, texted or not: what the caller is told.</summary>
    public static readonly TimeSpan MaxHold = TimeSpan.FromHours(2);

    private readonly IDataProtector _protector = protection.CreateProtector("Alice.Messages.CallerNumber");

    private const string Columns = """
        ride_id AS RideId, number_protected AS NumberProtected, expires_at AS ExpiresAt, texted_generation AS TextedGeneration,
        failures AS Failures, next_attempt_at AS NextAttemptAt
        """;

    /// <summary>
    /// Holds the caller's number for this ride. A repeated key press (or Twilio's retry of it) keeps the
    /// first one, and its time limit.
    /// </summary>
    public async Task<ConsentResult> HoldAsync(Ride ride, string number, CancellationToken ct)
    {
        // A withheld number comes as "Anonymous" or the like; one that looks like a number but cannot take
        // a text is refused by Twilio, and erased then.
        if (!PhoneNumbers.IsE164(number)) return ConsentResult.NoNumber;
        if (CarMessagePlan.IsOver(ride)) return ConsentResult.TooLate;
        await database.ExecuteAsync(
            """
            INSERT INTO sms_consents (ride_id, number_protected, expires_at) VALUES (@rideId, @number, @expiresAt)
            ON CONFLICT (ride_id) DO NOTHING;
            """,
            new { rideId = ride.Id, number = _protector.Protect(number), expiresAt = (clock.GetUtcNow() + MaxHold).ToUnixTimeSeconds() }, ct);
        return ConsentResult.Held;
    }

    /// <summary>Every consent held: a few at most, so all of them are looked at each time.</summary>
    public async Task<IReadOnlyList<SmsConsent>> AllAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM sms_consents ORDER BY expires_at;", cancellationToken: ct));
        return rows.Select(r => new SmsConsent(r.RideId, r.NumberProtected, DateTimeOffset.FromUnixTimeSeconds(r.ExpiresAt), (int?)r.TextedGeneration,
            (int)r.Failures, r.NextAttemptAt is { } next ? DateTimeOffset.FromUnixTimeSeconds(next) : null)).ToList();
    }

    /// <summary>The caller's number, for Twilio only. Throws CryptographicException when the key ring can no longer read it.</summary>
    public string NumberOf(SmsConsent consent) => _protector.Unprotect(consent.NumberProtected);

    /// <summary>A message about this booking was sent; the car is still to come.</summary>
    public Task MarkTextedAsync(string rideId, int generation, CancellationToken ct) => database.ExecuteAsync(
        "UPDATE sms_consents SET texted_generation = @generation, failures = 0, next_attempt_at = NULL WHERE ride_id = @rideId;",
        new { rideId, generation }, ct);

    public Task MarkFailedAsync(string rideId, DateTimeOffset next, CancellationToken ct) => database.ExecuteAsync(
        "UPDATE sms_consents SET failures = failures + 1, next_attempt_at = @next WHERE ride_id = @rideId;",
        new { rideId, next = next.ToUnixTimeSeconds() }, ct);

    /// <summary>The number is gone from the table; <see cref="ScrubErasedAsync"/> makes it leave the files.</summary>
    public Task EraseAsync(string rideId, CancellationToken ct) =>
        database.ExecuteAsync("DELETE FROM sms_consents WHERE ride_id = @rideId;", new { rideId }, ct);

    /// <summary>After erasures: their bytes leave the database's files (see <see cref="Database.ScrubDeletedAsync"/>).</summary>
    public Task ScrubErasedAsync(CancellationToken ct) => database.ScrubDeletedAsync(ct);

    /// <summary>The row as stored (a class with setters: Dapper converts each column's type, INTEGER being 32 bits on PostgreSQL).</summary>
    private sealed class Row
    {
        public string RideId { get; init; } = "";
        public string NumberProtected { get; init; } = "";
        public long ExpiresAt { get; init; }
        public long? TextedGeneration { get; init; }
        public long Failures { get; init; }
        public long? NextAttemptAt { get; init; }
    }
}

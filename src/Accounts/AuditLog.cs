using System.Data.Common;
using Dapper;

namespace Alice.Accounts;

/// <summary>An entry of the audit: who did what, when, to which account, alert or booking reference. Never anything about a caller.</summary>
/// <param name="Action">As stored: an <see cref="AuditAction"/>'s name (<see cref="AuditActions.Parse"/> reads it back).</param>
public sealed record AuditEntry(DateTimeOffset At, string Actor, string Action, string Subject);

/// <summary>What an audit entry is about, which decides how long it is kept.</summary>
public enum AuditSubject
{
    /// <summary>A staff or organiser account: kept (it names no caller).</summary>
    Account,
    /// <summary>A ride, its alert or its police request (the subject is a booking code or an alert): deleted with the rides' retention window.</summary>
    Ride,
}

/// <summary>What a person did that the audit records. Written and matched only through this type; stored as its name.</summary>
public enum AuditAction
{
    AccountInvited,
    AccountEnrolled,
    AccountSecondFactorReset,
    AccountDisabled,
    AccountRemoved,
    RideArrived,
    AlertAcknowledged,
    AlertResolved,
    AlertAnsweredInWriting,
    PoliceRequested,
    PartnerAccepted,
    PartnerDriverArrived,
    PartnerPassengerOnBoard,
    PartnerDroppedOff,
    PartnerCannotServe,
}

public static class AuditActions
{
    public static IReadOnlyList<AuditAction> All { get; } = Enum.GetValues<AuditAction>();

    /// <summary>The name stored in <c>audit_log.action</c> ("area.verb"): what old entries hold, so a name never changes.</summary>
    public static string Name(this AuditAction action) => Of(action).Name;

    public static AuditSubject About(this AuditAction action) => Of(action).About;

    /// <summary>The action a stored name stands for; null for a name no action has.</summary>
    public static AuditAction? Parse(string name) => All.Where(a => a.Name() == name).Select(a => (AuditAction?)a).FirstOrDefault();

    /// <summary>The names of every action about this subject.</summary>
    public static IReadOnlyList<string> NamesAbout(AuditSubject subject) => [.. All.Where(a => a.About() == subject).Select(Name)];

    /// <summary>
    /// <c>action IN (@action0, …)</c> over every action about this subject, its parameters added: written out,
    /// because Dapper passes a list to PostgreSQL as one array, which <c>IN</c> does not take.
    /// </summary>
    public static string AboutCondition(AuditSubject subject, DynamicParameters parameters)
    {
        var names = NamesAbout(subject);
        for (var i = 0; i < names.Count; i++) parameters.Add($"action{i}", names[i]);
        return $"action IN ({string.Join(", ", names.Select((_, i) => $"@action{i}"))})";
    }

    // The one mapping. No default arm: an action added without its name and subject does not compile (CS8509).
    // CS8524 is only about values no member names, which nothing writes.
#pragma warning disable CS8524
    private static (string Name, AuditSubject About) Of(AuditAction action) => action switch
    {
        AuditAction.AccountInvited => ("account.invited", AuditSubject.Account),
        AuditAction.AccountEnrolled => ("account.enrolled", AuditSubject.Account),
        AuditAction.AccountSecondFactorReset => ("account.second-factor-reset", AuditSubject.Account),
        AuditAction.AccountDisabled => ("account.disabled", AuditSubject.Account),
        AuditAction.AccountRemoved => ("account.removed", AuditSubject.Account),
        AuditAction.RideArrived => ("ride.arrived", AuditSubject.Ride),
        AuditAction.AlertAcknowledged => ("alert.acknowledged", AuditSubject.Ride),
        AuditAction.AlertResolved => ("alert.resolved", AuditSubject.Ride),
        AuditAction.AlertAnsweredInWriting => ("alert.answered-in-writing", AuditSubject.Ride),
        AuditAction.PoliceRequested => ("police.requested", AuditSubject.Ride),
        AuditAction.PartnerAccepted => ("partner.accepted", AuditSubject.Ride),
        AuditAction.PartnerDriverArrived => ("partner.driver-arrived", AuditSubject.Ride),
        AuditAction.PartnerPassengerOnBoard => ("partner.passenger-on-board", AuditSubject.Ride),
        AuditAction.PartnerDroppedOff => ("partner.dropped-off", AuditSubject.Ride),
        AuditAction.PartnerCannotServe => ("partner.cannot-serve", AuditSubject.Ride),
    };
#pragma warning restore CS8524
}

/// <summary>
/// The audit of every action a person takes that matters afterwards: accounts invited and disabled, alerts
/// acknowledged and resolved, police requests, a partner's dispatcher running a booking. Written in the same transaction as the action where there
/// is one, so an action without its entry cannot exist. Operators read it.
/// </summary>
public sealed class AuditLog(AccountsDatabase database, TimeProvider clock)
{
    public async Task WriteAsync(string actor, AuditAction action, string subject, CancellationToken ct)
    {
        await using var connection = await database.Source.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(Insert(actor, action, subject, null, ct));
    }

    public Task WriteAsync(DbTransaction tx, string actor, AuditAction action, string subject, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(Insert(actor, action, subject, tx, ct));

    /// <summary>The newest entries first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(int limit, CancellationToken ct)
    {
        await using var connection = await database.Source.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(long At, string Actor, string Action, string Subject)>(new CommandDefinition(
            "SELECT at, actor, action, subject FROM audit_log ORDER BY at DESC, id DESC LIMIT @limit;", new { limit }, cancellationToken: ct));
        return rows.Select(r => new AuditEntry(DateTimeOffset.FromUnixTimeSeconds(r.At), r.Actor, r.Action, r.Subject)).ToList();
    }

    /// <summary>The newest entries since a time about this subject (e.g. the accounts' changes), newest first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(AuditSubject about, DateTimeOffset since, int limit, CancellationToken ct)
    {
        var parameters = new DynamicParameters(new { since = since.ToUnixTimeSeconds(), limit });
        var matches = AuditActions.AboutCondition(about, parameters);
        await using var connection = await database.Source.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(long At, string Actor, string Action, string Subject)>(new CommandDefinition(
            $"SELECT at, actor, action, subject FROM audit_log WHERE at >= @since AND {matches} ORDER BY at DESC, id DESC LIMIT @limit;",
            parameters, cancellationToken: ct));
        return rows.Select(r => new AuditEntry(DateTimeOffset.FromUnixTimeSeconds(r.At), r.Actor, r.Action, r.Subject)).ToList();
    }

    private CommandDefinition Insert(string actor, AuditAction action, string subject, DbTransaction? tx, CancellationToken ct) => new(
        "INSERT INTO audit_log (id, at, actor, action, subject) VALUES (@id, @at, @actor, @action, @subject);",
        new { id = Guid.NewGuid().ToString(), at = clock.GetUtcNow().ToUnixTimeSeconds(), actor, action = action.Name(), subject }, tx, cancellationToken: ct);
}

namespace Alice.Accounts;

/// <summary>A change made to an account: whose, what, by whom, when. <see cref="What"/> is one of the <see cref="AccountChange"/> constants.</summary>
public sealed record AccountChange(string UserName, string Role, string What, string Actor, DateTimeOffset At)
{
    public const string Invited = "invited";
    public const string Enrolled = "enrolled";
    public const string SecondFactorReset = "second factor reset";
    public const string Disabled = "disabled";
}

/// <summary>
/// Told of every account change once it is made (and audited). The host decides who hears of it: the
/// dispatch service texts each campus's on-call phone, so an account made or reset behind the centre's back
/// does not go unseen. It must not throw: the change is made already, and a failure to tell is the host's to log.
/// </summary>
public interface IAccountChanges
{
    Task AnnounceAsync(AccountChange change, CancellationToken ct);
}

/// <summary>A host that tells nobody (the default).</summary>
internal sealed class NoAccountChanges : IAccountChanges
{
    public Task AnnounceAsync(AccountChange change, CancellationToken ct) => Task.CompletedTask;
}

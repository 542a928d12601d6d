namespace Alice.Accounts;

/// <summary>What an account may do. One role an account: a nurse's login cannot read the organisers' totals, nor theirs a ride.</summary>
public static class Roles
{
    /// <summary>CPVS staff: the centre console (rides coming, alerts, arrival, the police request).</summary>
    public const string Centre = "Centre";
    /// <summary>Campus organisers: the admin panel's totals.</summary>
    public const string Organiser = "Organiser";
    /// <summary>Runs the service: invites and disables accounts, reads the audit.</summary>
    public const string Operator = "Operator";

    /// <summary>A taxi partner's dispatcher: its own open bookings on the partner page, nothing else (the account names its partner).</summary>
    public const string Partner = "Partner";

    public static readonly IReadOnlyList<string> All = [Centre, Organiser, Operator, Partner];

    /// <summary>The role as written, whatever its case; null for anything else.</summary>
    public static string? Parse(string? text) => All.FirstOrDefault(r => string.Equals(r, text, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// A staff or organiser account, as Identity sees it. Holds a login name chosen by the operator (not
/// necessarily a real name), never an e-mail address or a phone number: nothing here is needed to reach
/// the person, so nothing is kept.
/// </summary>
public sealed class Account
{
    public string Id { get; set; } = Guid.NewGuid().ToString();
    public string UserName { get; set; } = "";
    public string NormalizedUserName { get; set; } = "";
    public string Role { get; set; } = "";
    public string? PasswordHash { get; set; }
    public string SecurityStamp { get; set; } = "";
    public string ConcurrencyStamp { get; set; } = Guid.NewGuid().ToString();
    /// <summary>The authenticator app's shared secret, encrypted with Data Protection; made when the enrolment page is shown, none before.</summary>
    public string? AuthenticatorKey { get; set; }
    public bool TwoFactorEnabled { get; set; }
    /// <summary>The unused recovery codes under a salted slow hash (<see cref="RecoveryCodeHash"/>), separated by ';'.</summary>
    public string RecoveryCodes { get; set; } = "";
    public DateTimeOffset? LockoutEnd { get; set; }
    public int AccessFailedCount { get; set; }
    public DateTimeOffset? DisabledAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Enrolled: a password and an authenticator app. Until then the account cannot log in.</summary>
    public bool Enrolled => PasswordHash is not null && TwoFactorEnabled;
}

using Alice.Web;

namespace Alice.Accounts.Pages;

// What each account page shows, read before it is rendered.

public sealed record LoginModel(string Language, string? ReturnUrl, string? Error) : IPageModel<LoginPage>;

public sealed record CodeModel(string Language, string? ReturnUrl, string? Error) : IPageModel<CodePage>;

public sealed record DeniedModel(string Language) : IPageModel<DeniedPage>;

/// <param name="Authenticator">The secret to scan, as an image and as text; null after a refused post (it is shown once).</param>
public sealed record EnrolModel(string Language, string UserName, string Id, string Token, AuthenticatorShown? Authenticator, string? Error) : IPageModel<EnrolPage>;

public sealed record AuthenticatorShown(string QrImage, string Secret);

public sealed record LinkInvalidModel(string Language) : IPageModel<LinkInvalidPage>;

public sealed record RecoveryCodesModel(string Language, IReadOnlyList<string> Codes) : IPageModel<RecoveryCodesPage>;

public sealed record AuditModel(string Language, IReadOnlyList<AuditEntry> Entries) : IPageModel<AuditPage>;

public sealed record HomeModel(string Language, string? Name, string? Role, string Home, bool ShowsAudit) : IPageModel<HomePage>;

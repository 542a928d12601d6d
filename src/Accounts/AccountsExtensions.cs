using System.Data.Common;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Alice.Web;

namespace Alice.Accounts;

/// <summary>The <c>Accounts</c> settings.</summary>
public sealed class AccountsOptions
{
    public const string Section = "Accounts";

    /// <summary>Login and enrolment posts one address (an IPv6 /64 counts as one) may make a minute (kept in memory, per instance).</summary>
    public int LoginAttemptsPerMinute { get; set; } = 10;
}

/// <summary>Where each role lands after logging in, in the host that uses the accounts.</summary>
public sealed class AccountHomes
{
    public Dictionary<string, string> ByRole { get; } = [];
    /// <summary>Whether this host has the audit page (the admin panel cannot read the audit).</summary>
    public bool ShowsAudit { get; set; } = true;
    public string For(string? role) => role is not null && ByRole.TryGetValue(role, out var home) ? home : "/account";
}

public static class AccountsExtensions
{
    /// <summary>Rate-limiting policy of the login and enrolment posts.</summary>
    public const string LoginLimit = "login";

    /// <summary>
    /// Identity over the host's database, a second factor for everyone (codes taken once, <see cref="AuthenticatorCodes"/>),
    /// password guesses held back per name and place (<see cref="LoginThrottle"/>), lockout after five wrong codes, the
    /// login cookie (secure, HTTP-only, same-site strict, its sessions checked against the account every
    /// minute so a disabled account is out within a minute), role policies and the login rate limit.
    /// </summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration configuration,
        Func<IServiceProvider, DbDataSource> database, bool development, Action<AccountHomes> homes)
    {
        services.AddOptions<AccountsOptions>().Bind(configuration.GetSection(AccountsOptions.Section))
            .Validate(o => o.LoginAttemptsPerMinute is >= 1 and <= 1000, "Accounts:LoginAttemptsPerMinute must be between 1 and 1000.")
            .ValidateOnStart();
        services.AddSingleton(provider => new AccountsDatabase(database(provider)));
        services.AddSingleton<AuditLog>();
        services.AddScoped<AccountStore>();
        services.AddScoped<IUserStore<Account>>(provider => provider.GetRequiredService<AccountStore>());
        services.AddScoped<AccountService>();
        services.AddSingleton(Configure(new AccountHomes(), homes));
        services.TryAddSingleton<IAccountChanges, NoAccountChanges>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<DeviceCookies>();
        services.AddSingleton<StandInPassword>();

        services.AddIdentityCore<Account>(o =>
            {
                // Length over composition rules (NIST SP 800-63B): a long passphrase is both easier and stronger.
                o.Password.RequiredLength = 12;
                o.Password.RequireDigit = o.Password.RequireLowercase = o.Password.RequireUppercase = o.Password.RequireNonAlphanumeric = false;
                // Counts wrong second-factor codes only: the password step never locks an account (LoginThrottle),
                // so only someone who has the password can lock it, by getting its code wrong five times.
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                o.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_";
            })
            .AddSignInManager<StaffSignIn>()
            // Only the two providers used: enrolment links and the authenticator app (a code once, one step
            // either side of now). No e-mail or SMS codes: accounts hold neither an address nor a number.
            .AddTokenProvider<DataProtectorTokenProvider<Account>>(TokenOptions.DefaultProvider)
            .AddTokenProvider<AuthenticatorCodes>(TokenOptions.DefaultAuthenticatorProvider)
            .AddClaimsPrincipalFactory<RoleClaims>();
        services.Configure<DataProtectionTokenProviderOptions>(o => o.TokenLifespan = AccountService.EnrolmentLifetime);
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));

        // Development runs on plain http://localhost; everywhere else every cookie goes over HTTPS only.
        var secure = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "alice.session";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = secure;
            o.ExpireTimeSpan = TimeSpan.FromHours(12); // a night shift
            o.SlidingExpiration = true;
            o.LoginPath = "/account/login";
            o.AccessDeniedPath = "/account/denied";
            o.Events = new CookieAuthenticationEvents
            {
                // A page's script asking for data gets a status, not a login page it cannot show.
                OnRedirectToLogin = context => AnswerScriptOr(context, StatusCodes.Status401Unauthorized),
                OnRedirectToAccessDenied = context => AnswerScriptOr(context, StatusCodes.Status403Forbidden),
            };
        });
        services.Configure<CookieAuthenticationOptions>(IdentityConstants.TwoFactorUserIdScheme, o =>
        {
            o.Cookie.SecurePolicy = secure;
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.Centre, p => p.RequireRole(Roles.Centre))
            .AddPolicy(Roles.Organiser, p => p.RequireRole(Roles.Organiser, Roles.Operator))
            .AddPolicy(Roles.Operator, p => p.RequireRole(Roles.Operator))
            .AddPolicy(Roles.Partner, p => p.RequireRole(Roles.Partner));
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Ten tries a minute from one address by default: enough for a tired person, far too few to guess
            // a password (and LoginThrottle holds back a guess at one account after five). An IPv6 /64 is one
            // address: whoever has one has all of its 2^64. Kept in memory only, per instance.
            o.AddPolicy(LoginLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                LoginThrottle.NetworkOf(http.Connection.RemoteIpAddress),
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = http.RequestServices.GetRequiredService<IOptions<AccountsOptions>>().Value.LoginAttemptsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
            o.OnRejected = async (context, ct) =>
                await context.HttpContext.Response.WriteAsync("Too many attempts. Wait a minute, then try again.", ct);
        });
        return services;
    }

    /// <summary>
    /// The staff pages' middleware (with <see cref="StaffPages"/>' checks), in the order it must run: limits, who is calling, what they may do, forms
    /// checked, and a post without its antiforgery token refused before any endpoint runs, whether it reads a form or not.
    /// </summary>
    public static IApplicationBuilder UseAccounts(this IApplicationBuilder app) =>
        app.UseRateLimiter().UseAuthentication().UseAuthorization().UseHttpsForStaffPages().UseAntiforgery().RefuseForgedStaffPosts();

    private static T Configure<T>(T value, Action<T> configure)
    {
        configure(value);
        return value;
    }

    private static Task AnswerScriptOr(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Headers.Accept.ToString().Contains("application/json"))
            context.Response.StatusCode = status;
        else
            context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>Puts the account's one role into its login, for the role policies.</summary>
    private sealed class RoleClaims(UserManager<Account> users, IOptions<IdentityOptions> options)
        : UserClaimsPrincipalFactory<Account>(users, options)
    {
        protected override async Task<ClaimsIdentity> GenerateClaimsAsync(Account user)
        {
            var identity = await base.GenerateClaimsAsync(user);
            identity.AddClaim(new Claim(ClaimTypes.Role, user.Role));
            return identity;
        }
    }
}

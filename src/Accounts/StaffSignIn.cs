using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alice.Accounts;

/// <summary>
/// Identity's sign-in, with the one way in the staff pages use: a password checked by the login page
/// itself, then the second-factor step, and a session only after it. Identity's password sign-in sets the
/// session cookie itself when it finds no second factor; this never does. No browser is "remembered" past
/// the second factor.
/// </summary>
internal sealed class StaffSignIn(UserManager<Account> users, IHttpContextAccessor context, IUserClaimsPrincipalFactory<Account> claims,
    IOptions<IdentityOptions> options, ILogger<SignInManager<Account>> logger, IAuthenticationSchemeProvider schemes, IUserConfirmation<Account> confirmation)
    : SignInManager<Account>(users, context, claims, options, logger, schemes, confirmation)
{
    /// <summary>Starts the second-factor step for an enrolled account whose password was right: a short cookie naming the account, no session.</summary>
    public async Task<bool> StartSecondFactorAsync(Account account)
    {
        if (!account.Enrolled || string.IsNullOrEmpty(account.AuthenticatorKey)) return false;
        var result = await SignInOrTwoFactorAsync(account, isPersistent: false);
        if (result.RequiresTwoFactor) return true;
        // Unreachable with the checks above; should Identity ever sign in here, the session goes at once.
        await SignOutAsync();
        return false;
    }

    public override Task<bool> IsTwoFactorClientRememberedAsync(Account user) => Task.FromResult(false);
}

using System.Security.Cryptography;
using System.Text;
using Alice.Signatures;
using Microsoft.AspNetCore.Identity;

namespace Alice.Accounts;

/// <summary>
/// Checks the authenticator app's code in place of Identity's own provider, which takes a code for about
/// 150 seconds (two steps either side) and as often as it is typed. Here a code is taken within one step
/// of now (a phone's clock a little off, a code typed as it changes), and once: the step it was made for
/// is stored on the account, and a step not later than the last one taken is refused. The store records it
/// with one conditional UPDATE, so two sessions racing with the same code cannot both win.
/// </summary>
internal sealed class AuthenticatorCodes(AccountStore store, TimeProvider clock) : IUserTwoFactorTokenProvider<Account>
{
    /// <summary>Steps either side of now a code is taken for.</summary>
    public const int Window = 1;

    /// <summary>The app makes the codes; the server never does.</summary>
    public Task<string> GenerateAsync(string purpose, UserManager<Account> manager, Account user) => Task.FromResult("");

    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<Account> manager, Account user) =>
        !string.IsNullOrEmpty(await manager.GetAuthenticatorKeyAsync(user));

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<Account> manager, Account user) =>
        await manager.GetAuthenticatorKeyAsync(user) is { Length: > 0 } secret
        && MatchingStep(secret, token, clock.GetUtcNow()) is { } step
        && await store.ClaimAuthenticatorStepAsync(user, step, CancellationToken.None);

    /// <summary>
    /// The step within the window the code was made for, without taking it; null if it is none. Enrolment
    /// uses it alone: its code proves the app was set up, it logs nobody in.
    /// </summary>
    public static long? MatchingStep(string secret, string token, DateTimeOffset at)
    {
        var code = token.Replace(" ", "");
        if (code.Length != 6 || !code.All(char.IsAsciiDigit)) return null;
        var now = Totp.Step(at);
        for (var step = now - Window; step <= now + Window; step++)
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Totp.CodeAt(secret, step)), Encoding.ASCII.GetBytes(code)))
                return step;
        return null;
    }
}

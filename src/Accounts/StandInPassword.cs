using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace Alice.Accounts;

/// <summary>
/// A password hash nobody's password matches, checked for a name with no password (no such account, or one
/// not enrolled), so that it costs what a real check costs: the time of an answer does not say a name exists.
/// </summary>
internal sealed class StandInPassword
{
    private string? _hash;

    public bool Check(UserManager<Account> users, string password)
    {
        var standIn = new Account { Id = "stand-in" };
        _hash ??= users.PasswordHasher.HashPassword(standIn, Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)));
        users.PasswordHasher.VerifyHashedPassword(standIn, _hash, password);
        return false;
    }
}

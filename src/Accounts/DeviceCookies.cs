using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;

namespace Alice.Accounts;

/// <summary>
/// The device cookie: set on a browser once it completes a login (password and second factor), naming the
/// account, protected by Data Protection so nobody can make one. It only lets that browser's password
/// attempts on that account be counted apart (<see cref="LoginThrottle"/>); it logs nobody in.
/// </summary>
internal sealed class DeviceCookies(IDataProtectionProvider protection, TimeProvider clock)
{
    public const string Name = "alice.device";
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(180);
    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector("Alice.Accounts.DeviceCookie").ToTimeLimitedDataProtector();

    /// <summary>The throttle's place for this attempt: this browser if it logged into the account before, else its network.</summary>
    public (string Place, bool KnownDevice) PlaceOf(HttpContext http, string? accountId)
    {
        if (accountId is not null && http.Request.Cookies[Name] is { Length: > 0 and < 1000 } cookie)
        {
            try
            {
                var payload = _protector.Unprotect(cookie, out _);
                if (payload.Split('|') is [var id, var device] && id == accountId) return ("device:" + device, true);
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                // Not one of ours, or expired: the browser counts by its network.
            }
        }
        return ("net:" + LoginThrottle.NetworkOf(http.Connection.RemoteIpAddress), false);
    }

    public void Issue(HttpContext http, string accountId, bool secure)
    {
        var device = Guid.NewGuid().ToString("N");
        http.Response.Cookies.Append(Name, _protector.Protect($"{accountId}|{device}", clock.GetUtcNow() + Lifetime), new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = secure, Path = "/account", MaxAge = Lifetime, IsEssential = true,
        });
    }
}

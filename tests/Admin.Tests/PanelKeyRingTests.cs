using Microsoft.AspNetCore.Builder;
using System.Security.Cryptography;
using Alice.Web;
using Alice.Admin.Tests.Support;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace Alice.Admin.Tests;

/// <summary>
/// The panel's key ring is its own, sealed under its own key-encryption key; rotating that key follows the
/// service's three steps (the new key with the old one as previous, rewrap-keys, the new key alone).
/// </summary>
public class PanelKeyRingTests
{
    [Fact]
    public async Task A_new_key_encryption_key_reads_the_panels_ring_beside_the_old_one_and_alone_once_the_ring_is_rewrapped()
    {
        await using var panel = new Panel();
        await panel.InitializeAsync();
        var payload = Protector(panel.Services).Protect("organiser session");
        var next = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

        await using (var rotating = Tool(panel, next, previous: Panel.KeyEncryptionKey))
        {
            Assert.Equal("organiser session", Protector(rotating.Services).Unprotect(payload));
            Assert.True(rotating.Services.RewrapKeyRing() > 0);
        }
        await using (var rotated = Tool(panel, next))
            Assert.Equal("organiser session", Protector(rotated.Services).Unprotect(payload));
        await using var before = Tool(panel, Panel.KeyEncryptionKey); // the old key alone opens nothing now
        Assert.ThrowsAny<CryptographicException>(() => Protector(before.Services).Unprotect(payload));
    }

    /// <summary>The panel as its command line builds it, with these keys.</summary>
    private static WebApplication Tool(Panel panel, string key, string? previous = null)
    {
        var settings = new Dictionary<string, string?>(panel.Settings) { ["DataProtection:KeyEncryptionKey"] = key };
        if (previous is not null) settings["DataProtection:PreviousKeyEncryptionKeys"] = previous;
        return AdminHost.Build([.. settings.Select(s => $"--{s.Key}={s.Value}"), "--environment", "Production"]);
    }

    private static IDataProtector Protector(IServiceProvider services) =>
        services.GetRequiredService<IDataProtectionProvider>().CreateProtector("tests");
}

using Alice.Web;
using Alice.Dispatch.Tests.Support;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace Alice.Dispatch.Tests;

/// <summary>
/// The Data Protection key ring lives in the database: what one instance protects, another started on
/// the same database reads; and the keys are stored encrypted with the key the environment supplies.
/// </summary>
public class KeyRingTests
{
    [Fact]
    public async Task A_value_protected_by_one_instance_is_read_by_another_on_the_same_database()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        var first = new DispatchApp(partner);
        var protectedText = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("tests").Protect("booking 4729");

        await using var second = await first.RestartAsync([partner]);
        Assert.Equal("booking 4729", second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("tests").Unprotect(protectedText));
    }

    [Theory]
    [InlineData("Alice.Dispatch.Privacy.KeyRingDecryptor, Alice.Dispatch")] // the release that kept the ring in the dispatch service
    [InlineData("Alice.Accounts.KeyRingDecryptor, Alice.Accounts")] // the releases that kept it in the accounts library
    public async Task Keys_written_by_a_release_that_kept_the_ring_elsewhere_stay_readable(string formerDecryptor)
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        var first = new DispatchApp(partner);
        var protectedText = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("tests").Protect("booking 4729");
        using (var db = first.Database.Open())
            Assert.True(await db.ExecuteAsync(
                "UPDATE data_protection_keys SET xml = REPLACE(xml, 'Alice.Web.KeyRingDecryptor, Alice.Web', @formerDecryptor) WHERE xml LIKE '%Alice.Web.KeyRingDecryptor, Alice.Web%';",
                new { formerDecryptor }) > 0);

        await using var second = await first.RestartAsync([partner]);
        using (var db = second.Database.Open())
            Assert.Contains(formerDecryptor, await db.ExecuteScalarAsync<string>("SELECT xml FROM data_protection_keys;"));
        Assert.Equal("booking 4729", second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("tests").Unprotect(protectedText));
    }

    [Fact]
    public async Task The_keys_are_stored_encrypted_and_unreadable_without_the_key_encryption_key()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner);
        var payload = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("tests").Protect("booking 4729");

        await using var db = app.Database.Open();
        var stored = (await db.QueryAsync<string>("SELECT xml FROM data_protection_keys;")).ToList();
        Assert.NotEmpty(stored);
        Assert.All(stored, xml =>
        {
            Assert.Contains("decryptorType=\"Alice.Web.KeyRingDecryptor", xml);
            Assert.Contains("<encryptedKey", xml);
            Assert.DoesNotContain("<masterKey", xml); // the key material itself never appears in the clear
        });

        // Another key-encryption key (an attacker with a copy of the database, or a misconfigured instance) cannot use the ring.
        await using var stranger = await app.RestartAsync([partner], new() { ["DataProtection:KeyEncryptionKey"] = Convert.ToBase64String(new byte[32]) });
        var protector = stranger.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("tests");
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => protector.Unprotect(payload));
    }

    [Fact]
    public async Task A_new_key_encryption_key_reads_the_ring_beside_the_old_one_and_alone_once_the_ring_is_rewrapped()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        var first = new DispatchApp(partner);
        var payload = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("tests").Protect("booking 4729");
        var (old, next) = (DispatchApp.KeyEncryptionKey, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));

        // The rotation: the new key in use, the old one only to open what it sealed; then the ring is rewrapped.
        var rotating = await first.RestartAsync([partner], new() { ["DataProtection:KeyEncryptionKey"] = next, ["DataProtection:PreviousKeyEncryptionKeys"] = old });
        Assert.Equal("booking 4729", Unprotect(rotating, payload));
        Assert.True(rotating.Services.RewrapKeyRing() > 0);

        var rotated = await rotating.RestartAsync([partner], new() { ["DataProtection:KeyEncryptionKey"] = next });
        Assert.Equal("booking 4729", Unprotect(rotated, payload));
        await using var before = await rotated.RestartAsync([partner]); // the old key alone opens nothing now
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => Unprotect(before, payload));
    }

    private static string Unprotect(DispatchApp app, string payload) =>
        app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("tests").Unprotect(payload);
}

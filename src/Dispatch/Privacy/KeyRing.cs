using System.Security.Cryptography;
using System.Xml.Linq;
using Alice.Dispatch.Storage;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Privacy;

/// <summary>
/// The Data Protection key ring in the service's own database (table <c>data_protection_keys</c>), so
/// every instance reads and writes the same keys: what one protects, another unprotects.
/// </summary>
internal sealed class DatabaseKeyRing(Database database, TimeProvider clock) : IXmlRepository
{
    // Data Protection's repository interface is synchronous; it is read once and then cached by the framework.
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = database.Durable.OpenConnection();
        return connection.Query<string>("SELECT xml FROM data_protection_keys ORDER BY created_at, name;").Select(XElement.Parse).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = database.Durable.OpenConnection();
        connection.Execute(
            "INSERT INTO data_protection_keys (name, xml, created_at) VALUES (@name, @xml, @now) ON CONFLICT (name) DO NOTHING;",
            new { name = friendlyName, xml = element.ToString(SaveOptions.DisableFormatting), now = clock.GetUtcNow().ToUnixTimeSeconds() });
    }
}

/// <summary>
/// Encrypts each key of the ring with the key the environment supplies (AES-256-GCM), before it is stored.
/// The stored form is <c>&lt;encryptedKey&gt;</c> with Base64 of nonce, tag and ciphertext.
/// </summary>
internal sealed class KeyRingEncryptor(byte[] key) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plain = System.Text.Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var sealedBytes = new byte[12 + 16 + plain.Length];
        var nonce = sealedBytes.AsSpan(0, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(28), sealedBytes.AsSpan(12, 16));
        return new EncryptedXmlInfo(new XElement("encryptedKey", Convert.ToBase64String(sealedBytes)), typeof(KeyRingDecryptor));
    }
}

/// <summary>Reads what <see cref="KeyRingEncryptor"/> wrote. Data Protection creates it by type, with the container.</summary>
internal sealed class KeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var key = services.GetRequiredService<IOptions<KeyRingOptions>>().Value.KeyBytes()
            ?? throw new InvalidOperationException("The key ring is encrypted, and DataProtection:KeyEncryptionKey is not set.");
        var sealedBytes = Convert.FromBase64String(encryptedElement.Value);
        var plain = new byte[sealedBytes.Length - 28];
        using var aes = new AesGcm(key, 16);
        aes.Decrypt(sealedBytes.AsSpan(0, 12), sealedBytes.AsSpan(28), sealedBytes.AsSpan(12, 16), plain);
        return XElement.Parse(System.Text.Encoding.UTF8.GetString(plain));
    }
}

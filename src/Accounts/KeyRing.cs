using System.Security.Cryptography;
using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.Internal;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Alice.Accounts;

public static class KeyRingExtensions
{
    /// <summary>
    /// Data Protection with its key ring in the database (table <c>data_protection_keys</c>), encrypted at
    /// rest with <c>DataProtection:KeyEncryptionKey</c>: every instance of the service, and the admin panel,
    /// read the same keys, so what one protects (a login cookie, an authenticator secret) another reads.
    /// Only the dispatch service <paramref name="createsKeys"/>: the panel's database login cannot write the ring.
    /// </summary>
    public static IServiceCollection AddKeyRing(this IServiceCollection services, IConfiguration configuration, bool createsKeys)
    {
        services.AddOptions<KeyRingOptions>().Bind(configuration.GetSection(KeyRingOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<KeyRingOptions>, KeyRingOptions.Validator>();
        services.AddSingleton<DatabaseKeyRing>();
        services.Replace(ServiceDescriptor.Singleton<IActivator, KeyRingActivator>());
        // One application name everywhere: protectors are the same only if it is.
        var protection = services.AddDataProtection().SetApplicationName("Alice");
        if (!createsKeys) protection.DisableAutomaticKeyGeneration();
        services.AddOptions<KeyManagementOptions>().Configure<DatabaseKeyRing>((o, ring) =>
        {
            o.XmlRepository = ring;
            // Unencrypted only in Development without a key (start-up refuses that anywhere else). Read
            // unvalidated: Data Protection builds this while the host is built, before start-up validation
            // reports every wrong setting together.
            var keys = configuration.GetSection(KeyRingOptions.Section).Get<KeyRingOptions>() ?? new KeyRingOptions();
            if (keys.KeyBytes() is { } key) o.XmlEncryptor = new KeyRingEncryptor(key);
        });
        return services;
    }
}

/// <summary>How the Data Protection key ring (kept in the database, shared by every instance) is protected at rest.</summary>
public sealed class KeyRingOptions
{
    public const string Section = "DataProtection";

    /// <summary>
    /// Base64 of 32 random bytes (<c>openssl rand -base64 32</c>), the same for every instance and the admin
    /// panel, from the environment: each key in the ring is stored encrypted with it, so a copy of the
    /// database alone cannot read what the service protects. Required outside Development.
    /// </summary>
    public string KeyEncryptionKey { get; set; } = "";

    /// <summary>The key as bytes, or null when none is configured.</summary>
    public byte[]? KeyBytes()
    {
        if (KeyEncryptionKey.Length == 0) return null;
        var bytes = new byte[32];
        return Convert.TryFromBase64String(KeyEncryptionKey, bytes, out var written) && written == 32 ? bytes : null;
    }

    internal sealed class Validator(Microsoft.Extensions.Hosting.IHostEnvironment environment) : IValidateOptions<KeyRingOptions>
    {
        public ValidateOptionsResult Validate(string? name, KeyRingOptions o)
        {
            if (o.KeyEncryptionKey.Length > 0 && o.KeyBytes() is null)
                return ValidateOptionsResult.Fail("DataProtection:KeyEncryptionKey must be the Base64 of exactly 32 random bytes (openssl rand -base64 32).");
            if (o.KeyEncryptionKey.Length == 0 && !Microsoft.Extensions.Hosting.HostEnvironmentEnvExtensions.IsDevelopment(environment))
                return ValidateOptionsResult.Fail(
                    "DataProtection:KeyEncryptionKey is required outside Development, the same on every instance; " +
                    "set it from the environment (DataProtection__KeyEncryptionKey=\"$(openssl rand -base64 32)\").");
            return ValidateOptionsResult.Success;
        }
    }
}

/// <summary>The ring's keys in the database. Data Protection reads them once and caches them.</summary>
internal sealed class DatabaseKeyRing(AccountsDatabase database, TimeProvider clock) : IXmlRepository
{
    // Data Protection's repository interface is synchronous.
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = database.Source.OpenConnection();
        return connection.Query<string>("SELECT xml FROM data_protection_keys ORDER BY created_at, name;").Select(XElement.Parse).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = database.Source.OpenConnection();
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

/// <summary>Reads what <see cref="KeyRingEncryptor"/> wrote. Data Protection creates it by type name, through <see cref="KeyRingActivator"/>.</summary>
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

/// <summary>
/// Creates the types a stored key names. Keys written before the ring moved here name the decryptor by its
/// former place in the dispatch service (<see cref="FormerDecryptor"/>); those keys stay
/// readable, by the service and by the admin panel, which does not have that assembly.
/// </summary>
internal sealed class KeyRingActivator(IServiceProvider services) : IActivator
{
    private const string FormerDecryptor = "Alice.Dispatch.Privacy.KeyRingDecryptor,";

    public object CreateInstance(Type expectedBaseType, string implementationTypeName)
    {
        var type = implementationTypeName.StartsWith(FormerDecryptor, StringComparison.Ordinal)
            ? typeof(KeyRingDecryptor)
            : Type.GetType(implementationTypeName, throwOnError: true)!;
        if (!expectedBaseType.IsAssignableFrom(type))
            throw new InvalidOperationException($"The key ring names {type.FullName}, which is not a {expectedBaseType.Name}.");
        return ActivatorUtilities.CreateInstance(services, type);
    }
}

using System.Data.Common;
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

namespace Alice.Web;

public static class KeyRingExtensions
{
    /// <summary>
    /// Data Protection with its key ring in the host's own database (table <c>data_protection_keys</c>),
    /// encrypted at rest with <c>DataProtection:KeyEncryptionKey</c>: every instance of one host reads the same
    /// keys, so what one protects (a login cookie, an authenticator secret) another reads. Each host has its
    /// own ring, its own key-encryption key and its own <paramref name="applicationName"/> (the dispatch
    /// service's, the organisers' panel's): nothing one protects, the other can read,
    /// even with both rings in hand.
    /// </summary>
    /// <param name="database">The host's database, which holds the ring's table (its migrations create it).</param>
    public static IServiceCollection AddKeyRing(this IServiceCollection services, IConfiguration configuration, string applicationName,
        Func<IServiceProvider, DbDataSource> database)
    {
        services.AddOptions<KeyRingOptions>().Bind(configuration.GetSection(KeyRingOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<KeyRingOptions>, KeyRingOptions.Validator>();
        services.AddSingleton(provider => new DatabaseKeyRing(new KeyRingDatabase(database(provider)), provider.GetRequiredService<TimeProvider>()));
        services.Replace(ServiceDescriptor.Singleton<IActivator, KeyRingActivator>());
        // One application name for every instance of a host: protectors are the same only if it is.
        services.AddDataProtection().SetApplicationName(applicationName);
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

    /// <summary>
    /// Stores every key of the ring under the current <c>DataProtection:KeyEncryptionKey</c>, opening each with
    /// whichever configured key it was stored under (the last step of a rotation, SECURITY.md). Returns how
    /// many keys were rewritten; the keys themselves, and so everything they protect, are unchanged.
    /// </summary>
    public static int RewrapKeyRing(this IServiceProvider services) => services.GetRequiredService<DatabaseKeyRing>().Rewrap(
        services.GetRequiredService<IOptions<KeyRingOptions>>().Value);
}

/// <summary>How the Data Protection key ring (kept in the host's database, shared by its instances) is protected at rest.</summary>
public sealed class KeyRingOptions
{
    public const string Section = "DataProtection";

    /// <summary>
    /// Base64 of 32 random bytes (<c>openssl rand -base64 32</c>), the same for every instance of a host and
    /// never shared between the service and the panel, from the environment: each key in the ring is stored
    /// encrypted with it, so a copy of the database alone cannot read what the host protects. Required outside Development.
    /// </summary>
    public string KeyEncryptionKey { get; set; } = "";

    /// <summary>
    /// During a rotation, the keys used before <see cref="KeyEncryptionKey"/> (Base64, comma-separated): keys of
    /// the ring stored under them stay readable, until <c>rewrap-keys</c> has stored them all under the current one.
    /// </summary>
    public string PreviousKeyEncryptionKeys { get; set; } = "";

    /// <summary>The key as bytes, or null when none is configured.</summary>
    public byte[]? KeyBytes() => Parse(KeyEncryptionKey);

    /// <summary>The current key, then the previous ones: those a stored key may be opened with (an unreadable one is left out; start-up refuses it).</summary>
    public IReadOnlyList<byte[]> OpeningKeys() =>
        [.. new[] { KeyEncryptionKey }.Concat(PreviousKeyEncryptionKeys.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Select(Parse).OfType<byte[]>()];

    private static byte[]? Parse(string base64)
    {
        if (base64.Length == 0) return null;
        var bytes = new byte[32];
        return Convert.TryFromBase64String(base64, bytes, out var written) && written == 32 ? bytes : null;
    }

    internal sealed class Validator(Microsoft.Extensions.Hosting.IHostEnvironment environment) : IValidateOptions<KeyRingOptions>
    {
        public ValidateOptionsResult Validate(string? name, KeyRingOptions o)
        {
            if (o.KeyEncryptionKey.Length > 0 && o.KeyBytes() is null)
                return ValidateOptionsResult.Fail("DataProtection:KeyEncryptionKey must be the Base64 of exactly 32 random bytes (openssl rand -base64 32).");
            if (o.PreviousKeyEncryptionKeys.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Any(k => Parse(k) is null))
                return ValidateOptionsResult.Fail("DataProtection:PreviousKeyEncryptionKeys must be Base64 keys of exactly 32 bytes each, separated by commas.");
            if (o.KeyEncryptionKey.Length == 0 && !Microsoft.Extensions.Hosting.HostEnvironmentEnvExtensions.IsDevelopment(environment))
                return ValidateOptionsResult.Fail(
                    "DataProtection:KeyEncryptionKey is required outside Development, the same on every instance; " +
                    "set it from the environment (DataProtection__KeyEncryptionKey=\"$(openssl rand -base64 32)\").");
            return ValidateOptionsResult.Success;
        }
    }
}

/// <summary>The host's database, where the ring is kept.</summary>
internal sealed record KeyRingDatabase(DbDataSource Source);

/// <summary>The ring's keys in the database. Data Protection reads them once and caches them.</summary>
internal sealed class DatabaseKeyRing(KeyRingDatabase database, TimeProvider clock) : IXmlRepository
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

    /// <summary>Each stored key's secret opened with the key it was stored under and sealed again under the current one, in one transaction.</summary>
    public int Rewrap(KeyRingOptions options)
    {
        var current = options.KeyBytes() ?? throw new InvalidOperationException("DataProtection:KeyEncryptionKey is not set: there is nothing to rewrap the ring under.");
        var encryptor = new KeyRingEncryptor(current);
        using var connection = database.Source.OpenConnection();
        using var tx = connection.BeginTransaction();
        var rewrapped = 0;
        foreach (var (name, xml) in connection.Query<(string, string)>("SELECT name, xml FROM data_protection_keys;", transaction: tx).ToList())
        {
            var key = XElement.Parse(xml);
            var secrets = key.Descendants().Where(e => e.Name.LocalName == "encryptedKey").ToList();
            if (secrets.Count == 0) continue; // a development ring kept without a key-encryption key
            foreach (var secret in secrets)
                secret.ReplaceWith(encryptor.Encrypt(KeyRingDecryptor.Open(secret, options.OpeningKeys())).EncryptedElement);
            connection.Execute("UPDATE data_protection_keys SET xml = @xml WHERE name = @name;",
                new { name, xml = key.ToString(SaveOptions.DisableFormatting) }, tx);
            rewrapped++;
        }
        tx.Commit();
        return rewrapped;
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
    public XElement Decrypt(XElement encryptedElement) =>
        Open(encryptedElement, services.GetRequiredService<IOptions<KeyRingOptions>>().Value.OpeningKeys());

    /// <summary>The stored key's secret, opened with the first of these keys it was sealed under (AES-GCM tells a wrong key).</summary>
    public static XElement Open(XElement encryptedElement, IReadOnlyList<byte[]> keys)
    {
        if (keys.Count == 0) throw new InvalidOperationException("The key ring is encrypted, and DataProtection:KeyEncryptionKey is not set.");
        var sealedBytes = Convert.FromBase64String(encryptedElement.Value);
        var plain = new byte[sealedBytes.Length - 28];
        foreach (var key in keys)
        {
            using var aes = new AesGcm(key, 16);
            try
            {
                aes.Decrypt(sealedBytes.AsSpan(0, 12), sealedBytes.AsSpan(28), sealedBytes.AsSpan(12, 16), plain);
                return XElement.Parse(System.Text.Encoding.UTF8.GetString(plain));
            }
            catch (AuthenticationTagMismatchException) { } // sealed under another of the keys
        }
        throw new CryptographicException("No configured key-encryption key opens this key of the ring (DataProtection:KeyEncryptionKey, PreviousKeyEncryptionKeys).");
    }
}

/// <summary>
/// Creates the types a stored key names. Keys written before the ring moved here name the decryptor by one of
/// its former places (<see cref="FormerDecryptors"/>: the dispatch service, then the accounts library); those keys stay readable.
/// </summary>
internal sealed class KeyRingActivator(IServiceProvider services) : IActivator
{
    private static readonly string[] FormerDecryptors = ["Alice.Dispatch.Privacy.KeyRingDecryptor,", "Alice.Accounts.KeyRingDecryptor,"];

    public object CreateInstance(Type expectedBaseType, string implementationTypeName)
    {
        var type = FormerDecryptors.Any(former => implementationTypeName.StartsWith(former, StringComparison.Ordinal))
            ? typeof(KeyRingDecryptor)
            : Type.GetType(implementationTypeName, throwOnError: true)!;
        if (!expectedBaseType.IsAssignableFrom(type))
            throw new InvalidOperationException($"The key ring names {type.FullName}, which is not a {expectedBaseType.Name}.");
        return ActivatorUtilities.CreateInstance(services, type);
    }
}

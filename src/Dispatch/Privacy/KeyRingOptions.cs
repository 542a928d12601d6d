using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Privacy;

/// <summary>How the Data Protection key ring (kept in the database, shared by every instance) is protected at rest.</summary>
internal sealed class KeyRingOptions
{
    public const string Section = "DataProtection";

    /// <summary>
    /// Base64 of 32 random bytes (<c>openssl rand -base64 32</c>), the same for every instance, from the
    /// environment: each key in the ring is stored encrypted with it, so a copy of the database alone
    /// cannot read what the service protects. Required outside Development.
    /// </summary>
    public string KeyEncryptionKey { get; set; } = "";

    /// <summary>The key as bytes, or null when none is configured.</summary>
    public byte[]? KeyBytes()
    {
        if (KeyEncryptionKey.Length == 0) return null;
        var bytes = new byte[32];
        return Convert.TryFromBase64String(KeyEncryptionKey, bytes, out var written) && written == 32 ? bytes : null;
    }

    internal sealed class Validator(IHostEnvironment environment) : IValidateOptions<KeyRingOptions>
    {
        public ValidateOptionsResult Validate(string? name, KeyRingOptions o)
        {
            if (o.KeyEncryptionKey.Length > 0 && o.KeyBytes() is null)
                return ValidateOptionsResult.Fail("DataProtection:KeyEncryptionKey must be the Base64 of exactly 32 random bytes (openssl rand -base64 32).");
            if (o.KeyEncryptionKey.Length == 0 && !environment.IsDevelopment())
                return ValidateOptionsResult.Fail(
                    "DataProtection:KeyEncryptionKey is required outside Development, the same on every instance; " +
                    "set it from the environment (DataProtection__KeyEncryptionKey=\"$(openssl rand -base64 32)\").");
            return ValidateOptionsResult.Success;
        }
    }
}

using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;

namespace Alice.Dispatch.Privacy;

internal static class PrivacyExtensions
{
    /// <summary>The keyed hash of CallSids, and Data Protection with its key ring in the database, encrypted at rest.</summary>
    public static IServiceCollection AddPrivacy(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<PrivacyOptions, PrivacyOptions.Validator>(configuration, PrivacyOptions.Section);
        services.AddSingleton<CallKeys>();

        services.AddValidatedOptions<KeyRingOptions, KeyRingOptions.Validator>(configuration, KeyRingOptions.Section);
        services.AddSingleton<DatabaseKeyRing>();
        // One application name on every instance: their protectors are the same only if it is.
        services.AddDataProtection().SetApplicationName("Alice");
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

using Alice.Dispatch.Storage;
using Alice.Web;

namespace Alice.Dispatch.Privacy;

internal static class PrivacyExtensions
{
    /// <summary>The keyed hash of CallSids, and Data Protection with its key ring in the database, encrypted at rest (this service creates its keys).</summary>
    public static IServiceCollection AddPrivacy(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<PrivacyOptions, PrivacyOptions.Validator>(configuration, PrivacyOptions.Section);
        services.AddSingleton<CallKeys>();
        services.AddKeyRing(configuration, applicationName: "Alice", provider => provider.GetRequiredService<Database>().Connections); // the name every key ring of the service has had: its cookies and stored values stay readable
        return services;
    }
}

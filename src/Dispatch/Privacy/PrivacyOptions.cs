using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Privacy;

internal sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary>
    /// Server secret for the keyed hash of Twilio's CallSid. Without it the hash could be recomputed
    /// from Twilio's call log, so it is required and kept out of the repository in Production.
    /// </summary>
    public string CallKeySecret { get; set; } = "";

    internal sealed class Validator : IValidateOptions<PrivacyOptions>
    {
        public ValidateOptionsResult Validate(string? name, PrivacyOptions options) =>
            options.CallKeySecret.Length < 32
                ? ValidateOptionsResult.Fail(
                    "Privacy:CallKeySecret must be set to a random secret of at least 32 characters " +
                    "(e.g. `openssl rand -base64 48`), from the environment (Privacy__CallKeySecret).")
                : ValidateOptionsResult.Success;
    }
}

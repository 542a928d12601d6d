using System.Text.RegularExpressions;
using Alice.Dispatch.Campuses;
using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Twilio;

/// <summary>
/// The <c>Twilio</c> section, one class for all of it: the account the service calls out with (its SID,
/// the REST API's address), the auth token that is both that account's password and the key of webhook
/// signatures, and how the hotline's webhooks answer.
/// </summary>
internal sealed partial class TwilioOptions
{
    public const string Section = "Twilio";

    public string AccountSid { get; set; } = "";

    /// <summary>The account's auth token: the key of X-Twilio-Signature. From the environment, never from a file in git.</summary>
    public string AuthToken { get; set; } = "";

    /// <summary>
    /// During a rotation of the auth token only: the token before <see cref="AuthToken"/>, still accepted on
    /// webhook signatures (never used for REST), so calls Twilio signs with either get no 403 while the
    /// instances restart one by one and Twilio switches. Removed once Twilio signs with the new one.
    /// </summary>
    public string? PreviousAuthToken { get; set; }

    /// <summary>The tokens a webhook's signature may be made with: the current one, then the previous during a rotation.</summary>
    public IEnumerable<string> WebhookTokens() => PreviousAuthToken is { Length: > 0 } previous ? [AuthToken, previous] : [AuthToken];

    /// <summary>Twilio's REST API; the Twilio simulator's address in development and tests.</summary>
    public string RestBaseUrl { get; set; } = "https://api.twilio.com";

    /// <summary>
    /// The URL Twilio calls, as Twilio sees it (e.g. https://alice.example.org). Signatures are computed
    /// on it, so the service checks them correctly behind a proxy or tunnel, and menu URLs are built from it;
    /// so are the links sent to the on-call phone.
    /// </summary>
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>The public base URL without its trailing slash, ready to have a path appended.</summary>
    public string BaseUrl => PublicBaseUrl.TrimEnd('/');

    /// <summary>Largest webhook body accepted. Twilio's are a few kilobytes.</summary>
    public int MaxBodyBytes { get; set; } = 16 * 1024;

    /// <summary>
    /// How long a webhook's step may take before the caller is bridged to the campus's human line instead
    /// (see <see cref="AnswerInTime"/>). Twilio waits 15 s at most, then plays an error; this stays well inside.
    /// </summary>
    public double AnswerWithinSeconds { get; set; } = 5;

    /// <summary>
    /// The voice each menu language is spoken in, by language code (fr, nl, en); see <see cref="SpeakingVoices"/>.
    /// By default Belgian French and Belgian Dutch (both neural only), and British English.
    /// </summary>
    public Dictionary<string, string> Voices { get; set; } = new()
    {
        [Languages.French.Code] = "Polly.Isabelle-Neural",
        [Languages.Dutch.Code] = "Polly.Lisa-Neural",
        [Languages.English.Code] = "Polly.Amy-Neural",
    };

    [GeneratedRegex("^AC[0-9a-fA-F]{32}$")]
    private static partial Regex Sid();

    internal sealed class Validator(IHostEnvironment environment) : IValidateOptions<TwilioOptions>
    {
        public ValidateOptionsResult Validate(string? name, TwilioOptions o)
        {
            var errors = new List<string>();
            if (!Sid().IsMatch(o.AccountSid))
                errors.Add("Twilio:AccountSid is required (AC followed by 32 hex digits): alerts reach the on-call phone through the account.");
            if (!Uri.TryCreate(o.RestBaseUrl, UriKind.Absolute, out var rest) || !(rest.Scheme == "https" || (rest.Scheme == "http" && (rest.IsLoopback || environment.IsDevelopment()))))
                errors.Add("Twilio:RestBaseUrl must be an https URL (plain http only on loopback, for the simulator).");
            if (string.IsNullOrWhiteSpace(o.AuthToken))
                errors.Add("Twilio:AuthToken is required; set it from the environment (Twilio__AuthToken).");
            if (o.PreviousAuthToken is { } previous && string.IsNullOrWhiteSpace(previous))
                errors.Add("Twilio:PreviousAuthToken must not be blank: remove the setting once the rotation is over.");
            else if (o.PreviousAuthToken == o.AuthToken)
                errors.Add("Twilio:PreviousAuthToken must differ from Twilio:AuthToken: it is the token before the rotation.");
            if (!Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || uri.AbsolutePath != "/" || uri.Query.Length > 0)
                errors.Add("Twilio:PublicBaseUrl must be the scheme and host Twilio calls, with no path or query (e.g. https://alice.example.org).");
            // Twilio posts the caller's number to it. Plain http stays possible on loopback, where nothing
            // crosses a network: the production shape on one machine and the benchmark run that way.
            else if (uri.Scheme == "http" && !uri.IsLoopback && !environment.IsDevelopment())
                errors.Add("Twilio:PublicBaseUrl must be https outside Development: Twilio posts the caller's number to it (Twilio__PublicBaseUrl=https://…).");
            if (o.MaxBodyBytes is < 1024 or > 1024 * 1024)
                errors.Add("Twilio:MaxBodyBytes must be between 1 KiB and 1 MiB.");
            if (o.AnswerWithinSeconds is < 1 or > 10)
                errors.Add("Twilio:AnswerWithinSeconds must be between 1 and 10: Twilio gives up after 15 s and the caller hears an error.");
            errors.AddRange(SpeakingVoices.Problems("Twilio:Voices", o.Voices));
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}

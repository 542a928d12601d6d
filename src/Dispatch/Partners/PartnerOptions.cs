using Alice.Dispatch.Campuses;
using Alice.Dispatch.Privacy;
using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Partners;

/// <summary>The taxi partners, in order of preference, and how long to wait for one.</summary>
internal sealed class PartnerOptions
{
    public const string Section = "Partners";

    /// <summary>How long one HTTP attempt may take before it is abandoned and retried.</summary>
    public double AttemptTimeoutSeconds { get; set; } = 4;

    /// <summary>Immediate retries inside one booking run (the first try, or one of the booking job's), starting within a second.</summary>
    public int RetriesPerRun { get; set; } = 3;

    /// <summary>How long one partner has to confirm a ride before the next partner in the list is tried.</summary>
    public double BudgetPerPartnerSeconds { get; set; } = 30;

    /// <summary>From the caller's choice: if no partner has confirmed by then, a person takes over.</summary>
    public double HandOverAfterSeconds { get; set; } = 120;

    /// <summary>How long a partner's circuit stays open (failing fast) after it kept failing.</summary>
    public double BreakSeconds { get; set; } = 5;

    /// <summary>
    /// While a partner keeps failing, how often one line counts its failures (the first is logged at once):
    /// in an outage every ride retries every second or two.
    /// </summary>
    public double FailureSummarySeconds { get; set; } = 60;

    public List<Provider> Providers { get; set; } = [];

    /// <summary>How a partner receives its bookings.</summary>
    internal enum PartnerMode
    {
        /// <summary>Partner API v1: Alice posts each booking to its software, which posts events back.</summary>
        Api,
        /// <summary>Its dispatchers run each booking on Alice's page (/partner), with the same transitions as the API's events.</summary>
        Console,
    }

    internal sealed class Provider
    {
        /// <summary>Short, URL-safe name; the partner's events arrive on /partners/{Name}/events.</summary>
        public string Name { get; set; } = "";
        /// <summary><see cref="PartnerMode.Api"/> (the default) or <see cref="PartnerMode.Console"/>.</summary>
        public PartnerMode Mode { get; set; } = PartnerMode.Api;
        /// <summary>Console only: the dispatch office's phone (E.164), rung once per booking not accepted within <see cref="AcceptWithinSeconds"/>.</summary>
        public string DispatchPhone { get; set; } = "";
        /// <summary>Console only: how long a booking may wait on the page unaccepted before the dispatch phone rings.</summary>
        public double AcceptWithinSeconds { get; set; }
        /// <summary>Where partner API v1 lives, e.g. https://taxi.example/api (the service appends /v1/...).</summary>
        public string BaseUrl { get; set; } = "";
        /// <summary>Shared HMAC secret for X-Alice-Signature, both ways (the signed direction label tells them apart).</summary>
        public string Secret { get; set; } = "";
        /// <summary>
        /// During a rotation of the secret only: the one agreed before, still accepted on the partner's events
        /// (Alice signs with <see cref="Secret"/>), so neither side's switch refuses the other. Removed once the partner signs with the new one.
        /// </summary>
        public string? PreviousSecret { get; set; }

        /// <summary>The secrets an event's signature is checked against: the current one, then the previous (the current again outside a rotation, so the work is the same).</summary>
        public string[] EventSecrets() => [Secret, PreviousSecret ?? Secret];
        /// <summary>
        /// Until then (an instant with its offset, e.g. 2027-01-31T00:00:00Z) the partner may still be on signature
        /// v1: its v1-only events are accepted and Alice's requests carry v1 beside v2. Absent: v2 only, both ways.
        /// </summary>
        public DateTimeOffset? AcceptV1SignaturesUntil { get; set; }

        /// <summary>Whether the partner's transition to signature v2 is still under way.</summary>
        public bool AcceptsV1At(DateTimeOffset now) => AcceptV1SignaturesUntil > now;
        /// <summary>The billing account the partner charges: the ride is free for the victim.</summary>
        public string Account { get; set; } = "";
    }

    /// <summary>The console partner of this name (it works on Alice's page), or null for an API partner or an unknown name.</summary>
    public Provider? Console(string? name) => Providers.FirstOrDefault(p => p.Name == name && p.Mode == PartnerMode.Console);

    /// <summary>Why no dispatcher's account may work for this partner name (null when one may): only a console partner has a page.</summary>
    public string? AccountProblem(string partner) => Providers.FirstOrDefault(p => p.Name == partner) switch
    {
        null => $"No taxi partner is named {partner} (Partners:Providers).",
        { Mode: PartnerMode.Api } => $"{partner} works through partner API v1, not on the page: its accounts would see nothing (set its Mode to Console first).",
        _ => null,
    };

    /// <summary>The longest transition to signature v2 a partner is given: v1 lets a captured request be replayed elsewhere.</summary>
    public static readonly TimeSpan LongestV1Transition = TimeSpan.FromDays(180);

    /// <summary>
    /// Plain http carries bookings (pickup point, code) and the partner's answers unread by no one between: only
    /// to a partner on this very machine (a local simulator, a tunnel's end), or in Development.
    /// </summary>
    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && System.Net.IPAddress.IsLoopback(ip));

    internal sealed class Validator(TimeProvider clock, IHostEnvironment environment) : IValidateOptions<PartnerOptions>
    {
        public ValidateOptionsResult Validate(string? name, PartnerOptions o)
        {
            var errors = new List<string>();
            if (o.Providers.Count == 0) errors.Add("Partners:Providers must list at least one taxi partner.");
            if (o.AttemptTimeoutSeconds is <= 0 or > 30) errors.Add("Partners:AttemptTimeoutSeconds must be between 0 and 30.");
            if (o.RetriesPerRun is < 0 or > 10) errors.Add("Partners:RetriesPerRun must be between 0 and 10.");
            if (o.BudgetPerPartnerSeconds <= 0) errors.Add("Partners:BudgetPerPartnerSeconds must be positive.");
            if (o.HandOverAfterSeconds is <= 0 or > 900) errors.Add("Partners:HandOverAfterSeconds must be between 0 and 900 (15 minutes): someone is waiting.");
            if (o.BreakSeconds is < 0.5 or > 300) errors.Add("Partners:BreakSeconds must be between 0.5 and 300.");
            if (o.FailureSummarySeconds is < 1 or > 3600) errors.Add("Partners:FailureSummarySeconds must be between 1 and 3600.");
            for (var i = 0; i < o.Providers.Count; i++)
            {
                var p = o.Providers[i];
                var at = $"Partners:Providers:{i}";
                if (string.IsNullOrWhiteSpace(p.Name) || !p.Name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
                    errors.Add($"{at}:Name must be letters, digits and dashes.");
                if (p.Mode == PartnerMode.Console)
                {
                    // No software of its own: no address, no secret; a phone that rings when a booking waits.
                    if (!PhoneNumbers.IsE164(p.DispatchPhone))
                        errors.Add($"{at}:DispatchPhone must be the dispatch office's number in E.164 form (+32...): it rings when a booking waits unaccepted.");
                    else if (PlaceholderNumbers.In(p.DispatchPhone) && !environment.IsDevelopment())
                        errors.Add(PlaceholderNumbers.Refusal($"{at}:DispatchPhone"));
                    if (p.AcceptWithinSeconds <= 0 || p.AcceptWithinSeconds >= o.BudgetPerPartnerSeconds)
                        errors.Add($"{at}:AcceptWithinSeconds must be positive and below Partners:BudgetPerPartnerSeconds ({o.BudgetPerPartnerSeconds}): " +
                                   "the dispatch phone rings before the booking moves on to the next partner.");
                }
                else if (!Uri.TryCreate(p.BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                    errors.Add($"{at}:BaseUrl must be an absolute http(s) URL.");
                else if (uri.Scheme == "http" && !IsLoopback(uri) && !environment.IsDevelopment())
                    errors.Add($"{at}:BaseUrl must be https outside Development (plain http only to this machine's loopback): " +
                               "bookings carry the pickup point and the code, and the partner's answers are trusted as they come.");
                if (p.Mode == PartnerMode.Api && p.Secret.Length < 32)
                    errors.Add($"{at}:Secret must be at least 32 characters; set it from the environment (Partners__Providers__{i}__Secret).");
                if (p.PreviousSecret is { } previous && previous.Length < 32)
                    errors.Add($"{at}:PreviousSecret must be at least 32 characters, as Secret; remove the setting once the rotation is over.");
                else if (p.PreviousSecret == p.Secret)
                    errors.Add($"{at}:PreviousSecret must differ from its Secret: it is the secret agreed before the rotation.");
                if (p.AcceptV1SignaturesUntil > clock.GetUtcNow() + LongestV1Transition)
                    errors.Add($"{at}:AcceptV1SignaturesUntil must be at most {LongestV1Transition.TotalDays} days ahead: the move to signature v2 is a transition, not a setting.");
                if (string.IsNullOrWhiteSpace(p.Account)) errors.Add($"{at}:Account (the billing account) is required.");
                if (RevealingWords.In(p.Account) is { } word)
                    errors.Add($"{at}:Account is sent with every booking and must not say what the rides are for (it says '{word}').");
            }
            if (o.Providers.Select(p => p.Name).Distinct().Count() != o.Providers.Count)
                errors.Add("Partners:Providers names must be unique.");
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}

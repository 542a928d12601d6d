using Microsoft.Extensions.Options;

namespace Alice.Admin.Totals;

/// <summary>The <c>Disclosure</c> settings: below how many a count is not shown.</summary>
internal sealed class DisclosureOptions
{
    public const string Section = "Disclosure";

    /// <summary>Counts from 1 to Threshold−1 are hidden; percentiles need at least Threshold durations. Never below 5.</summary>
    public int Threshold { get; set; } = 10;

    internal sealed class Validator : IValidateOptions<DisclosureOptions>
    {
        public ValidateOptionsResult Validate(string? name, DisclosureOptions o) => o.Threshold is >= 5 and <= 100
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Disclosure:Threshold must be between 5 and 100 (it is {o.Threshold}): below 5 a count can point at a person.");
    }
}

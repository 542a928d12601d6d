using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Abuse;

/// <summary>
/// How many bookings the hotline takes before new callers go to a person instead (SECURITY.md has the
/// trade-offs). Counted by each instance in memory: with two instances, up to twice these.
/// </summary>
internal sealed class AbuseOptions
{
    public const string Section = "Abuse";

    /// <summary>Rides one caller's number may book within a clock hour; the next call from it goes to a person.</summary>
    public int CallerBookingsPerHour { get; set; } = 3;

    /// <summary>New rides a campus takes within <see cref="CampusWindowMinutes"/>; above it new callers go to a person and the on-call phone is told.</summary>
    public int CampusBookingsPerWindow { get; set; } = 30;

    public int CampusWindowMinutes { get; set; } = 10;

    /// <summary>Numbers counted within an hour at most: an autodialer spoofing numbers cannot grow the memory without bound.</summary>
    public int MaxCallersCounted { get; set; } = 100_000;

    public TimeSpan CampusWindow => TimeSpan.FromMinutes(CampusWindowMinutes);

    internal sealed class Validator : IValidateOptions<AbuseOptions>
    {
        public ValidateOptionsResult Validate(string? name, AbuseOptions o)
        {
            var errors = new List<string>();
            if (o.CallerBookingsPerHour is < 1 or > 10_000)
                errors.Add("Abuse:CallerBookingsPerHour must be 1 to 10000 (a caller who needs more reaches a person).");
            if (o.CampusBookingsPerWindow is < 5 or > 1_000_000)
                errors.Add("Abuse:CampusBookingsPerWindow must be 5 to 1000000.");
            if (o.CampusWindowMinutes is < 1 or > 120)
                errors.Add("Abuse:CampusWindowMinutes must be 1 to 120.");
            if (o.MaxCallersCounted is < 1_000 or > 10_000_000)
                errors.Add("Abuse:MaxCallersCounted must be 1000 to 10000000.");
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}

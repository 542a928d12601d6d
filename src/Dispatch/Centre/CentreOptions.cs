using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Centre;

/// <summary>How an alert reaches the campus's on-call phone.</summary>
internal enum NotifyBy { Sms, Call, SmsAndCall }

/// <summary>The safety net's settings (<c>Centre</c> section).</summary>
internal sealed class CentreOptions
{
    public const string Section = "Centre";

    /// <summary>An SMS, a call that speaks the alert, or both (the default: a call wakes a person, an SMS keeps the code).</summary>
    public NotifyBy NotifyBy { get; set; } = NotifyBy.SmsAndCall;

    /// <summary>From the alert to the campus's second number, if nobody has acknowledged it in the console by then.</summary>
    public int EscalateAfterSeconds { get; set; } = 300;

    /// <summary>How late the driver may be at the pickup point, after the partner's ETA, before an alert.</summary>
    public int PickupMarginMinutes { get; set; } = 10;

    /// <summary>How often the safety net looks at alerts and rides: a person is reached within this much of an alert.</summary>
    public int WatchEverySeconds { get; set; } = 5;

    public TimeSpan EscalateAfter => TimeSpan.FromSeconds(EscalateAfterSeconds);
    public TimeSpan PickupMargin => TimeSpan.FromMinutes(PickupMarginMinutes);
    public TimeSpan WatchEvery => TimeSpan.FromSeconds(WatchEverySeconds);

    internal sealed class Validator : IValidateOptions<CentreOptions>
    {
        public ValidateOptionsResult Validate(string? name, CentreOptions o)
        {
            var errors = new List<string>();
            if (o.EscalateAfterSeconds is < 5 or > 3600) errors.Add("Centre:EscalateAfterSeconds must be between 5 and 3600.");
            if (o.PickupMarginMinutes is < 1 or > 120) errors.Add("Centre:PickupMarginMinutes must be between 1 and 120.");
            if (o.WatchEverySeconds is < 1 or > 60) errors.Add("Centre:WatchEverySeconds must be between 1 and 60 (a person is reached within it).");
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}

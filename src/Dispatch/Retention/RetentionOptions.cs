using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Retention;

/// <summary>How long what is held for a ride or a call is kept (SECURITY.md has the whole table).</summary>
internal sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>A ride is deleted this long after it ended, with its alerts, ledger rows and police request; as long as the centre's board shows arrivals.</summary>
    public int DeleteAfterEndHours { get; set; } = 24;

    /// <summary>No ride is kept longer than this after it was made, whatever became of it (an undelivered police request aside).</summary>
    public int MaxAgeHours { get; set; } = 48;

    /// <summary>
    /// A ride still with a partner this long after it was made has ended in fact (no ride to the centre takes
    /// hours): it ends, and its booking code is free for a new caller.
    /// </summary>
    public int EndUnfinishedAfterHours { get; set; } = 6;

    /// <summary>A call whose end Twilio never reported: its key leaves its ride this long after the ride was made.</summary>
    public int ForgetCallAfterHours { get; set; } = 4;

    /// <summary>How long an ended call is remembered, so a replayed webhook of it books nothing.</summary>
    public int EndedCallDays { get; set; } = 30;

    /// <summary>How often the retention job looks (times are coarsened and rides deleted within this of being due).</summary>
    public int SweepEverySeconds { get; set; } = 60;

    public TimeSpan DeleteAfterEnd => TimeSpan.FromHours(DeleteAfterEndHours);
    public TimeSpan MaxAge => TimeSpan.FromHours(MaxAgeHours);
    public TimeSpan EndUnfinishedAfter => TimeSpan.FromHours(EndUnfinishedAfterHours);
    public TimeSpan ForgetCallAfter => TimeSpan.FromHours(ForgetCallAfterHours);
    public TimeSpan SweepEvery => TimeSpan.FromSeconds(SweepEverySeconds);

    /// <summary>Until when a call ending now is remembered: to the day, so the row says nothing finer about when it was.</summary>
    public DateTimeOffset EndedCallUntil(DateTimeOffset now) =>
        DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() / 86_400 * 86_400) + TimeSpan.FromDays(EndedCallDays + 1);

    internal sealed class Validator : IValidateOptions<RetentionOptions>
    {
        public ValidateOptionsResult Validate(string? name, RetentionOptions o)
        {
            var errors = new List<string>();
            if (o.DeleteAfterEndHours is < 1 or > 168)
                errors.Add("Retention:DeleteAfterEndHours must be 1 to 168 (a week at most: an ended ride serves nobody).");
            if (o.MaxAgeHours < o.DeleteAfterEndHours || o.MaxAgeHours is < 12 or > 336)
                errors.Add("Retention:MaxAgeHours must be 12 to 336 and no less than DeleteAfterEndHours.");
            if (o.EndUnfinishedAfterHours < 2 || o.EndUnfinishedAfterHours > o.MaxAgeHours)
                errors.Add("Retention:EndUnfinishedAfterHours must be at least 2 and no more than MaxAgeHours.");
            if (o.ForgetCallAfterHours is < 1 or > 24)
                errors.Add("Retention:ForgetCallAfterHours must be 1 to 24 (no call lasts longer).");
            if (o.EndedCallDays is < 1 or > 365)
                errors.Add("Retention:EndedCallDays must be 1 to 365.");
            if (o.SweepEverySeconds is < 5 or > 3600)
                errors.Add("Retention:SweepEverySeconds must be 5 to 3600.");
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}

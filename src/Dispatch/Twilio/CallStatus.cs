namespace Alice.Dispatch.Twilio;

/// <summary>
/// A call's status as Twilio posts it: <c>CallStatus</c> on every webhook and the status callback, and
/// <c>DialCallStatus</c> for the line of a person the caller was put through to.
/// </summary>
internal enum CallStatus { Queued, Ringing, InProgress, Completed, Busy, Failed, NoAnswer, Canceled }

internal static class CallStatuses
{
    // The one mapping. No default arm: a status added without its word does not compile (CS8509);
    // CS8524 is only about values no member names.
#pragma warning disable CS8524
    /// <summary>Twilio's word for it, as posted in the form.</summary>
    public static string Name(this CallStatus status) => status switch
    {
        CallStatus.Queued => "queued",
        CallStatus.Ringing => "ringing",
        CallStatus.InProgress => "in-progress",
        CallStatus.Completed => "completed",
        CallStatus.Busy => "busy",
        CallStatus.Failed => "failed",
        CallStatus.NoAnswer => "no-answer",
        CallStatus.Canceled => "canceled",
    };
#pragma warning restore CS8524

    /// <summary>The status a posted word stands for, exactly as Twilio writes it; null when absent or unknown.</summary>
    public static CallStatus? Parse(string? name) =>
        Enum.GetValues<CallStatus>().Where(s => s.Name() == name).Select(s => (CallStatus?)s).FirstOrDefault();

    /// <summary>The call is over, in whatever way: answered and hung up, or never answered.</summary>
    public static bool HasEnded(this CallStatus status) =>
        status is CallStatus.Completed or CallStatus.Busy or CallStatus.Failed or CallStatus.NoAnswer or CallStatus.Canceled;
}

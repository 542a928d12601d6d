namespace Alice.Dispatch.Operator;

/// <summary>
/// What the operator is e-mailed about, each under a key of its own: one e-mail when it starts, one when it is
/// over, whatever the rides it touches. Keys and details name a partner or count things, never a ride.
/// </summary>
internal static class Conditions
{
    private const string PartnerPrefix = "partner-failing:";
    public static string PartnerFailing(string partner) => PartnerPrefix + partner;
    public const string HandedOver = "rides-handed-over";
    public const string OnCallUnreachable = "on-call-unreachable";
    public const string TwilioRestFailing = "twilio-rest-failing";
    public const string TwilioDeletionsPilingUp = "twilio-deletions-piling-up";

    /// <summary>The e-mail's title for the condition, and what the operator does first.</summary>
    public static (string Title, string FirstDo) Describe(string key) => key switch
    {
        _ when key.StartsWith(PartnerPrefix, StringComparison.Ordinal) => ($"partner {key[PartnerPrefix.Length..]} failing",
            "Its bookings fail (refused connections, timeouts or 5xx answers). Rides go to the next partner in "
            + "Partners:Providers, or to a person after Partners:HandOverAfterSeconds, and the on-call phone hears of each. "
            + "Call the partner's dispatch to learn whether it is down; if it stays down, put another partner first."),
        HandedOver => ("rides handed over to a person",
            "No partner confirmed these rides: a person must arrange each one. Make sure the on-call phone is answered and "
            + "the centre console (/centre) is watched, then look for a failing partner (its own e-mail)."),
        OnCallUnreachable => ("alerts not reaching the on-call phone",
            "Alerts about rides could not reach the on-call phone and are being retried: have someone watch the centre "
            + "console (/centre) now. Then check Twilio (status.twilio.com, Twilio:AuthToken) and the campus's OnCallNumber."),
        TwilioRestFailing => ("Twilio's REST API failing",
            "Alerts to the on-call phone, texts to callers and deletions of Twilio's records wait and are retried. Check "
            + "status.twilio.com and Twilio:AuthToken (a rotation: docs/operations.md, Rotations); meanwhile have someone watch the centre console."),
        TwilioDeletionsPilingUp => ("Twilio records piling up for deletion",
            "Twilio keeps callers' numbers in its call and message logs until these deletions succeed. Check that Twilio's "
            + "REST API answers and the service's warnings about deleting records."),
        _ => (key, "See the service's log."),
    };
}

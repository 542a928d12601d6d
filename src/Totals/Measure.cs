namespace Alice.Totals;

/// <summary>
/// What is counted, per campus and ISO week, in table <c>weekly_totals</c>. Each is counted in the same
/// transaction as the event it counts, never with anything that points back to a ride.
/// </summary>
public enum Measure
{
    /// <summary>Calls the service answered (from Twilio's status callback when the call has ended).</summary>
    CallsAnswered,
    /// <summary>Answered calls that ended without a ride being booked (a person took them, or the caller hung up).</summary>
    CallsWithoutBooking,
    /// <summary>Rides written with a booking code (a caller chose a pickup point, by a key or by text).</summary>
    RidesBooked,
    /// <summary>Of the rides booked, those asked for by text message (no call was answered for them).</summary>
    RidesBookedByText,
    /// <summary>Rides handed over to a person because no partner confirmed in time.</summary>
    HandedOver,
    /// <summary>Times a ride moved from one taxi partner to the next (no answer in time, refused, or given up).</summary>
    PartnerFailovers,
    /// <summary>Rides that ended at the centre (the partner's drop-off or the centre's "arrived").</summary>
    Arrived,
    /// <summary>Police requests made by the centre at a victim's wish.</summary>
    PoliceRequests,
    /// <summary>Alerts raised for the centre (a ride needing a person, a pickup late).</summary>
    AlertsRaised,
}

public static class Measures
{
    private static readonly Dictionary<Measure, string> Names = new()
    {
        [Measure.CallsAnswered] = "calls_answered",
        [Measure.CallsWithoutBooking] = "calls_without_booking",
        [Measure.RidesBooked] = "rides_booked",
        [Measure.RidesBookedByText] = "rides_booked_by_text",
        [Measure.HandedOver] = "handed_over",
        [Measure.PartnerFailovers] = "partner_failovers",
        [Measure.Arrived] = "arrived",
        [Measure.PoliceRequests] = "police_requests",
        [Measure.AlertsRaised] = "alerts_raised",
    };

    private static readonly Dictionary<string, Measure> ByName = Names.ToDictionary(kv => kv.Value, kv => kv.Key);

    public static IReadOnlyList<Measure> All { get; } = Enum.GetValues<Measure>();

    /// <summary>The name stored in <c>weekly_totals.measure</c>.</summary>
    public static string Name(this Measure measure) => Names[measure];

    public static bool TryParse(string name, out Measure measure) => ByName.TryGetValue(name, out measure);
}

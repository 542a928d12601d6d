namespace Alice.Dispatch.Rides;

/// <summary>Where a ride stands. Stored as the text <see cref="RideLifecycle.ToText"/> gives.</summary>
internal enum RideStatus
{
    /// <summary>Written before the caller hears the code; no partner holds the booking yet.</summary>
    Requested,
    /// <summary>A partner took the booking (answered 201/200 with its booking id).</summary>
    Booked,
    /// <summary>The partner assigned a driver (ETA, and the car when the partner says).</summary>
    Accepted,
    DriverArrived,
    OnBoard,
    /// <summary>At the centre.</summary>
    DroppedOff,
    /// <summary>No partner confirmed in time, or none was left: a person takes over (alert for the centre).</summary>
    NeedsPerson,
}

/// <summary>What moves a ride, named after what happened. A ride is born <see cref="RideStatus.Requested"/> when its caller chooses a pickup point.</summary>
internal enum RideEvent
{
    // The booking run, with the partner's answer, the partner's budget and the hand-over deadline.
    PartnerBooked,
    NextPartnerAsked,
    /// <summary>The partner answered with a booking given up before: it is asked again under a new key.</summary>
    BookingAskedAgain,
    /// <summary>The hand-over deadline passed, or the last partner refused: a person takes over.</summary>
    NoPartnerConfirmed,
    // The partner's events.
    PartnerAccepted,
    DriverArrived,
    PassengerOnBoard,
    DroppedOff,
    /// <summary>The partner cancelled or found no driver, and another partner is left to ask.</summary>
    PartnerGaveUp,
    /// <summary>The partner cancelled or found no driver, and no partner is left: a person takes over.</summary>
    LastPartnerGaveUp,
    // The centre.
    ArrivedAtCentre,
    // Retention: a ride still with a partner long after it was made ended without anyone saying so.
    Overdue,
}

/// <summary>A ride's place in its lifecycle: its status, and whether it has ended (its code is free, it is off the board).</summary>
internal readonly record struct RideState(RideStatus Status, bool Ended);

/// <summary>
/// The ride's lifecycle: which event moves a ride from which state to which, as one table. Every statement
/// that changes a ride's state applies it: its guard (<see cref="Guard"/>) and the status it writes
/// (<see cref="To"/>) come from here. A ride never moves back, except to waiting for a partner when its
/// partner gave the booking up; an event a state does not take changes nothing, so repeated and late
/// events are harmless.
/// </summary>
internal static class RideLifecycle
{
    /// <summary>
    /// One event: the states it moves a ride from (under way only, or even once ended), the status it writes
    /// (null: the status stays) and whether the ride ends with it.
    /// </summary>
    private sealed record Row(RideEvent Event, RideStatus[] FromUnderWay, RideStatus[] FromEvenEnded, RideStatus? To, bool Ends);

    private const RideStatus Requested = RideStatus.Requested, Booked = RideStatus.Booked, Accepted = RideStatus.Accepted,
        DriverArrived = RideStatus.DriverArrived, OnBoard = RideStatus.OnBoard, DroppedOff = RideStatus.DroppedOff, NeedsPerson = RideStatus.NeedsPerson;

    private static readonly Row[] Table =
    [
        //  event                         from, under way                               from, even once ended                        to             ends
        new(RideEvent.PartnerBooked,      [Requested],                                  [],                                          Booked,        false),
        new(RideEvent.NextPartnerAsked,   [Requested],                                  [],                                          null,          false),
        new(RideEvent.BookingAskedAgain,  [Requested],                                  [],                                          null,          false),
        new(RideEvent.NoPartnerConfirmed, [Requested],                                  [],                                          NeedsPerson,   true),
        // A partner's news moves a ride that retention ended as overdue too (only ever forward).
        new(RideEvent.PartnerAccepted,    [],                                           [Booked],                                    Accepted,      false),
        new(RideEvent.DriverArrived,      [],                                           [Booked, Accepted],                          DriverArrived, false),
        new(RideEvent.PassengerOnBoard,   [],                                           [Booked, Accepted, DriverArrived],           OnBoard,       false),
        new(RideEvent.DroppedOff,         [],                                           [Booked, Accepted, DriverArrived, OnBoard],  DroppedOff,    true),
        // Once the passenger is on board, a cancellation comes too late to matter.
        new(RideEvent.PartnerGaveUp,      [Booked, Accepted, DriverArrived],            [],                                          Requested,     false),
        new(RideEvent.LastPartnerGaveUp,  [Booked, Accepted, DriverArrived],            [],                                          NeedsPerson,   true),
        // The passenger is at the centre, however the ride stands: a booking still being made or held by a
        // partner is called off (the booking run cancels a late answer, the booking sweep a held booking).
        // One a person took over arrives too.
        new(RideEvent.ArrivedAtCentre,    [Requested, Booked, Accepted, DriverArrived, OnBoard], [NeedsPerson],                      DroppedOff,    true),
        // A ride waiting for a partner is handed over by its booking job instead. Dropped off or with a person
        // yet under way: a ride from before arrivals and hand-overs ended rides (older databases).
        new(RideEvent.Overdue,            [Booked, Accepted, DriverArrived, OnBoard, DroppedOff, NeedsPerson], [],                    null,          true),
    ];

    private static readonly Dictionary<RideEvent, Row> ByEvent = Table.ToDictionary(row => row.Event);

    /// <summary>The state of a ride just written.</summary>
    public static RideState Start { get; } = new(Requested, Ended: false);

    /// <summary>The state the event moves a ride in this state to; null when the state does not take the event (nothing changes).</summary>
    public static RideState? Next(RideState from, RideEvent e)
    {
        var row = ByEvent[e];
        var takes = row.FromEvenEnded.Contains(from.Status) || (!from.Ended && row.FromUnderWay.Contains(from.Status));
        return takes ? new RideState(row.To ?? from.Status, from.Ended || row.Ends) : null;
    }

    public static bool Takes(this RideState from, RideEvent e) => Next(from, e) is not null;

    /// <summary>The status the event writes; null when it leaves the status as it is.</summary>
    public static RideStatus? To(RideEvent e) => ByEvent[e].To;

    /// <summary>
    /// The SQL condition on the <c>rides</c> row that holds exactly in the states the event moves a ride from:
    /// the guard of the statement applying it, so a ride another writer moved meanwhile is left alone.
    /// The statuses are written in as literals: fixed texts of this table, no parameter to pass.
    /// </summary>
    public static string Guard(RideEvent e)
    {
        var row = ByEvent[e];
        var parts = new List<string>();
        if (row.FromUnderWay.Length > 0) parts.Add($"(ended_at IS NULL AND status IN ({Literals(row.FromUnderWay)}))");
        if (row.FromEvenEnded.Length > 0) parts.Add($"status IN ({Literals(row.FromEvenEnded)})");
        return $"({string.Join(" OR ", parts)})";
    }

    private static string Literals(IEnumerable<RideStatus> statuses) => string.Join(", ", statuses.Select(s => $"'{s.ToText()}'"));

    /// <summary>A partner still holds this ride's booking: cancelling it now would leave the passenger without a taxi.</summary>
    public static bool HasLiveBooking(this RideStatus status) => status is Booked or Accepted or DriverArrived or OnBoard;

    private static readonly Dictionary<RideStatus, string> Texts = new()
    {
        [Requested] = "requested",
        [Booked] = "booked",
        [Accepted] = "accepted",
        [DriverArrived] = "driver_arrived",
        [OnBoard] = "passenger_on_board",
        [DroppedOff] = "dropped_off",
        [NeedsPerson] = "needs_person",
    };

    private static readonly Dictionary<string, RideStatus> ByText = Texts.ToDictionary(kv => kv.Value, kv => kv.Key);

    /// <summary>The text stored in the database (and shown to the console's script).</summary>
    public static string ToText(this RideStatus status) => Texts[status];

    /// <summary>A stored status; anything else is a corrupt row, worth failing loudly on.</summary>
    public static RideStatus Parse(string text) =>
        ByText.TryGetValue(text, out var status) ? status : throw new InvalidDataException($"Unknown ride status '{text}'.");
}

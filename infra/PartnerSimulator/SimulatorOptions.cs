namespace Alice.PartnerSimulator;

internal sealed class SimulatorOptions
{
    public const string Section = "Simulator";

    /// <summary>The shared secret Alice signs with (its Partners:Providers:N:Secret).</summary>
    public string Secret { get; set; } = "";

    /// <summary>How far a request's signed timestamp may be from now.</summary>
    public int ReplayWindowSeconds { get; set; } = 300;

    /// <summary>This partner's name in Alice's configuration: events go to {EventsUrl}/partners/{Name}/events.</summary>
    public string Name { get; set; } = "simulator";

    /// <summary>Alice's base URL for events; empty: no events are sent.</summary>
    public string EventsUrl { get; set; } = "";

    /// <summary>The faults this run starts with; the page and POST /faults change them live.</summary>
    public Faults Faults { get; set; } = new();
}

/// <summary>What can go wrong with this partner, on purpose.</summary>
internal sealed record Faults
{
    /// <summary>Share of booking requests answered 503 (0 to 1).</summary>
    public double ErrorRate { get; init; }
    /// <summary>Milliseconds before answering a booking request.</summary>
    public int LatencyMs { get; init; }
    /// <summary>Until then, every connection is dropped without an answer (a full outage).</summary>
    public DateTimeOffset? DownUntil { get; init; }
    /// <summary>The next N booking requests are answered 503.</summary>
    public int FailNext { get; init; }
    /// <summary>Seconds put in Retry-After on those 503 answers (none when 0).</summary>
    public int RetryAfterSeconds { get; init; }
    /// <summary>The next N new bookings are made, then answered 500: they exist but Alice does not hear of them (ghost bookings).</summary>
    public int GhostNext { get; init; }
    /// <summary>Send every event twice.</summary>
    public bool DuplicateEvents { get; init; }
    /// <summary>Send the lifecycle events in reverse order.</summary>
    public bool OutOfOrderEvents { get; init; }
    /// <summary>Answer bookings, then send no_driver instead of accepted.</summary>
    public bool NoDriver { get; init; }
    // When each lifecycle event is sent, in milliseconds after the booking. Four settings rather than
    // one array: configuration binding appends to an array that has defaults instead of replacing it.
    public int AcceptedAfterMs { get; init; } = 1500;
    public int DriverArrivedAfterMs { get; init; } = 6000;
    public int OnBoardAfterMs { get; init; } = 9000;
    public int DroppedOffAfterMs { get; init; } = 15000;
}

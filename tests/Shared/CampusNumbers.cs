namespace Alice.Testing;

/// <summary>
/// The Alma campus's numbers for a service the tests run in Production. Production refuses the placeholders appsettings.json ships (+32 2 555 01xx,
/// +32 470 55 01xx), so these are set as an operator sets the real ones; they only ever reach simulators.
/// </summary>
public static class CampusNumbers
{
    public const string Hotline = "+3220000100";
    public const string HumanLine = "+3220000199";
    public const string OnCall = "+32470000198";
    public const string Escalation = "+32470000197";
    public const string CentreContact = "CPVS Bruxelles, +32 2 000 01 50";

    /// <summary>The settings that give the service these numbers.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Numbers =>
    [
        new("Hotline:FallbackNumber", HumanLine),
        new("Hotline:Campuses:0:HotlineNumber", Hotline),
        new("Hotline:Campuses:0:HumanNumber", HumanLine),
        new("Hotline:Campuses:0:OnCallNumber", OnCall),
        new("Hotline:Campuses:0:EscalationNumber", Escalation),
        new("Police:CentreContact", CentreContact),
    ];

    /// <summary>
    /// The pickup points' instructions for the driver, confirmed as an operator confirms them: Production
    /// refuses the shipped ones, marked "operator to confirm".
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string?>> PickupInstructions =>
    [
        new("Hotline:Campuses:0:PickupPoints:0:Instructions", "At the metro exit on the square."),
        new("Hotline:Campuses:0:PickupPoints:1:Instructions", "At the main entrance, by the taxi stand."),
        new("Hotline:Campuses:0:PickupPoints:2:Instructions", "At the metro exit on Avenue Vandervelde."),
    ];

    /// <summary>What a service the tests run in Production is given for its campus: its numbers and confirmed pickup points.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Settings => Numbers.Concat(PickupInstructions);

    /// <summary>A mobile number of its own for each caller, as on a real night: the hotline's limits count bookings per number.</summary>
    public static string NewCaller() => $"+32470{Random.Shared.Next(100_000, 1_000_000)}";

    /// <summary>The caller's number for a call, the same at every step of it, and another for another call.</summary>
    public static string CallerFor(string callSid) =>
        $"+32470{BitConverter.ToUInt32(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(callSid)), 0) % 900_000 + 100_000}";

    /// <summary>The same settings as environment variables, for a service started as a process.</summary>
    public static IEnumerable<KeyValuePair<string, string>> EnvironmentVariables => Settings.Select(s => KeyValuePair.Create(s.Key.Replace(":", "__"), s.Value!));
}

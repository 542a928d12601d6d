namespace Alice.Testing;

/// <summary>
/// The Alma campus's numbers for a service the tests run in Production (shared by the test projects as a
/// linked file). Production refuses the placeholders appsettings.json ships (+32 2 555 01xx,
/// +32 470 55 01xx), so these are set as an operator sets the real ones; they only ever reach simulators.
/// </summary>
internal static class CampusNumbers
{
    public const string Hotline = "+3220000100";
    public const string HumanLine = "+3220000199";
    public const string OnCall = "+32470000198";
    public const string Escalation = "+32470000197";
    public const string CentreContact = "CPVS Bruxelles, +32 2 000 01 50";

    /// <summary>The settings that give the service these numbers.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Hotline:FallbackNumber", HumanLine),
        new("Hotline:Campuses:0:HotlineNumber", Hotline),
        new("Hotline:Campuses:0:HumanNumber", HumanLine),
        new("Hotline:Campuses:0:OnCallNumber", OnCall),
        new("Hotline:Campuses:0:EscalationNumber", Escalation),
        new("Police:CentreContact", CentreContact),
    ];

    /// <summary>The same settings as environment variables, for a service started as a process.</summary>
    public static IEnumerable<KeyValuePair<string, string>> EnvironmentVariables => Settings.Select(s => KeyValuePair.Create(s.Key.Replace(":", "__"), s.Value!));
}

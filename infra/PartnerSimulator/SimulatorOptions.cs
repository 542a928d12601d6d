namespace Alice.PartnerSimulator;

internal sealed class SimulatorOptions
{
    public const string Section = "Simulator";

    /// <summary>The shared secret Alice signs with (its Partners:Providers:N:Secret).</summary>
    public string Secret { get; set; } = "";

    /// <summary>How far a request's signed timestamp may be from now.</summary>
    public int ReplayWindowSeconds { get; set; } = 300;
}

using System.Text.RegularExpressions;
using Alice.Dispatch.DevPhone;

namespace Alice.Dispatch.Tests.Support;

/// <summary>A partner simulator and the service in Production mode, shared by a test class; every test places its own calls.</summary>
public sealed class Hotline : IAsyncLifetime
{
    public PartnerSimulatorHost Partner { get; } = new();
    public DispatchApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Partner.InitializeAsync();
        App = new DispatchApp(Partner);
        App.CreateClient().Dispose(); // start it now, not in the first test's timing
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Partner.DisposeAsync();
    }
}

internal static partial class Transcripts
{
    [GeneratedRegex(@"(?:code est :|code is:) ([1-9]), ([1-9]), ([1-9]), ([1-9])\.")]
    private static partial Regex CodeLine();

    /// <summary>The booking code the caller heard, or null if they heard none.</summary>
    public static string? CodeHeard(this SimulatedCall call) =>
        call.Transcript.Select(l => CodeLine().Match(l.Text)).Where(m => m.Success)
            .Select(m => string.Concat(m.Groups.Values.Skip(1).Select(g => g.Value))).FirstOrDefault();

    public static string Text(this SimulatedCall call) => string.Join('\n', call.Transcript);
}

using System.Xml.Linq;
using Alice.Dispatch.Campuses;
using Alice.Dispatch.Centre;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Tests.Support;
using Alice.Dispatch.Twilio;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Tests;

/// <summary>
/// The calls the service places (the on-call phone about an alert, a console partner's dispatch phone about a
/// booking) speak in the voices configured under Twilio:Voices, as the menu does, in TwiML Twilio accepts:
/// what is said, a pause, then the same again.
/// </summary>
public class SpokenCallTests
{
    /// <summary>
    /// Voices no default has. Belgian French and Dutch each have one known voice, which is also the default, so no
    /// configuration that passes the start-up check could tell them apart: the configured voices are replaced whole.
    /// </summary>
    private static readonly Dictionary<string, string> Configured = new()
    {
        [Languages.French.Code] = "Configured.fr-BE", [Languages.Dutch.Code] = "Configured.nl-BE", [Languages.English.Code] = "Configured.en-GB",
    };

    private static Action<IServiceCollection> ConfiguredVoices =>
        services => services.AddSingleton(new Voices(Options.Create(new TwilioOptions { Voices = Configured })));

    [Fact]
    public async Task The_on_call_phone_s_call_says_its_message_twice_in_the_configured_french_voice_with_a_pause_between()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var twilio = await TwilioSimulatorHost.StartAsync();
        await using var app = new DispatchApp(partner, settings: twilio.Settings) { Replacing = ConfiguredVoices };
        var campus = app.Services.GetRequiredService<CampusDirectory>().ByNumber(DispatchApp.AlmaHotline)!;

        await app.Services.GetRequiredService<OnCallPhone>().ReachAboutFloodAsync(campus, 31, 10, default);

        var call = Assert.Single(await twilio.SentWhen(all => all.Any(s => s.Kind == "call")), s => s.Kind == "call");
        var verbs = Verbs(call.Text);
        Assert.Equal(["Say", "Pause", "Say"], verbs.Select(v => v.Name.LocalName));
        Assert.Equal(["Configured.fr-BE", "Configured.fr-BE"], Says(verbs).Select(s => s.Voice));
        Assert.All(Says(verbs), s => Assert.Equal("fr-BE", s.Language));
        Assert.All(Says(verbs), s => Assert.Contains("31 trajets en 10 minutes", s.Text));
    }

    [Fact]
    public async Task The_dispatch_phone_s_call_says_french_then_dutch_twice_in_the_configured_voices_with_a_pause_between()
    {
        await using var api = new PartnerSimulatorHost("fleet");
        await api.InitializeAsync();
        await using var twilio = await TwilioSimulatorHost.StartAsync();
        await using var app = new DispatchApp([api], settings: new(ConsolePartnerTests.ConsoleFirst(api).Concat(twilio.Settings))) { Replacing = ConfiguredVoices };

        var ride = await app.RideWhen(await app.BookRide(), r => r.Status == RideStatus.Booked && r.Partner == "desk", TimeSpan.FromSeconds(5));

        var call = Assert.Single(await twilio.SentWhen(all => all.Any(s => s.Kind == "call" && s.To == ConsolePartnerTests.DispatchPhone)), s => s.Kind == "call");
        var verbs = Verbs(call.Text);
        Assert.Equal(["Say", "Say", "Pause", "Say", "Say"], verbs.Select(v => v.Name.LocalName));
        Assert.Equal([("Configured.fr-BE", "fr-BE"), ("Configured.nl-BE", "nl-BE"), ("Configured.fr-BE", "fr-BE"), ("Configured.nl-BE", "nl-BE")],
            Says(verbs).Select(s => (s.Voice, s.Language)));
        var code = string.Join(", ", ride.BookingCode.ToCharArray());
        Assert.All(Says(verbs), s => Assert.Contains(code, s.Text));
    }

    /// <summary>The verbs of a TwiML document, which must be one Twilio can read: a Response and nothing else at its root.</summary>
    private static List<XElement> Verbs(string twiml)
    {
        var document = XDocument.Parse(twiml);
        Assert.Equal("Response", document.Root!.Name.LocalName);
        return [.. document.Root.Elements()];
    }

    private static IEnumerable<(string? Voice, string? Language, string Text)> Says(IEnumerable<XElement> verbs) =>
        verbs.Where(v => v.Name.LocalName == "Say").Select(s => ((string?)s.Attribute("voice"), (string?)s.Attribute("language"), s.Value));
}

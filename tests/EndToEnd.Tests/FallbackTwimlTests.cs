using System.Xml.Linq;

namespace Alice.EndToEnd.Tests;

/// <summary>The TwiML Bin an operator sets as each number's fallback URL, printed by the service's own command from its settings.</summary>
public class FallbackTwimlTests
{
    [Fact]
    public async Task The_fallback_twiml_command_prints_for_each_campus_a_document_that_dials_its_human_line_from_its_hotline()
    {
        var folder = Directory.CreateTempSubdirectory("alice-fallback-").FullName;
        try
        {
            var environment = ProductionDispatch.Environment(IStuckDatabase.Settings("Sqlite", $"Data Source={folder}/alice.db"),
                "https://alice.example.test", "http://127.0.0.1:9", "fallback-test-twilio-token");

            var output = await HostProcess.RunAsync("src/Dispatch", "Alice.Dispatch", ["fallback-twiml"], environment);

            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Equal($"# alma: the TwiML Bin for the fallback URL of {CampusNumbers.Hotline}", lines[0]);
            var document = Assert.Single(lines, l => !l.StartsWith('#'));
            // Nothing before the declaration (Twilio's error 12100), then one Response.
            Assert.StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>", document);
            var response = XDocument.Parse(document).Root!;
            Assert.Equal("Response", response.Name.LocalName);
            Assert.Equal(["fr-BE", "nl-BE", "en-GB"], response.Elements("Say").Select(s => s.Attribute("language")!.Value));
            Assert.All(response.Elements("Say"), s => Assert.StartsWith("Polly.", s.Attribute("voice")!.Value));
            Assert.Contains("Je vous mets en relation avec une personne", response.Elements("Say").First().Value);
            var dial = Assert.Single(response.Elements("Dial"));
            Assert.Equal(CampusNumbers.Hotline, dial.Attribute("callerId")!.Value);
            Assert.Equal(CampusNumbers.HumanLine, dial.Element("Number")!.Value);
            Assert.Null(dial.Attribute("action")); // nothing of the service, which may be what failed
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

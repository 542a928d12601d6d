using System.Xml.Linq;
using Alice.Dispatch.Campuses;
using Alice.Dispatch.Telephony;
using Alice.Dispatch.Tests.Support;
using Alice.Dispatch.Twilio;
using Microsoft.Extensions.Options;
using Twilio.TwiML;

namespace Alice.Dispatch.Tests;

/// <summary>Twilio rejects anything but text/xml with a &lt;Response&gt; root and nothing before the declaration.</summary>
public class TwimlAnswerTests(Hotline hotline) : IClassFixture<Hotline>
{
    public static TheoryData<string, string?, string?> Steps => new()
    {
        { "/twilio/voice", null, null },
        { "/twilio/language", "2", null },
        { "/twilio/language", "9", null },
        { "/twilio/menu?lang=nl&try=1", null, null },
        { "/twilio/pickup?lang=en&try=1", "3", null },
        { "/twilio/pickup?lang=fr&try=1", "7", null },
        { "/twilio/pickup?lang=fr&try=2", null, null },
        { "/twilio/pickup?lang=fr&try=1", "0", null },
        { "/twilio/code?lang=fr", "1", null },
        { "/twilio/code?lang=fr", "2", null },
        { "/twilio/code?lang=fr", null, null },
        { "/twilio/wait?lang=fr&n=1", null, null },
        { "/twilio/wait?lang=nl&n=7", null, null },
        { "/twilio/dial-ended?lang=fr&try=1", null, "busy" },
        { "/twilio/dial-ended?lang=fr&try=2", null, "failed" },
        { "/twilio/dial-ended?lang=fr&try=1", null, "completed" },
        { "/twilio/fallback", null, null },
        { "/twilio/status", null, null },
    };

    [Theory]
    [MemberData(nameof(Steps))]
    public async Task Every_answer_is_text_xml_with_a_response_root(string path, string? digits, string? dialStatus)
    {
        var response = await AnswerAsync(path, digits, dialStatus);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/xml", DispatchApp.ContentType(response)?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", body);
        Assert.Equal("Response", XDocument.Parse(body).Root!.Name.LocalName);
    }

    [Theory]
    [MemberData(nameof(Steps))]
    public async Task Every_sentence_is_spoken_by_a_voice_that_speaks_its_language(string path, string? digits, string? dialStatus)
    {
        var response = await AnswerAsync(path, digits, dialStatus);

        var says = XDocument.Parse(await response.Content.ReadAsStringAsync()).Descendants("Say").ToList();
        Assert.All(says, say =>
        {
            var voice = (string?)say.Attribute("voice");
            Assert.NotNull(voice);
            Assert.Equal((string?)say.Attribute("language"), Campuses.SpeakingVoices.Known[voice]);
        });
    }

    /// <summary>The service's answer to this step of a new call, posted as Twilio would.</summary>
    private Task<HttpResponseMessage> AnswerAsync(string path, string? digits, string? dialStatus)
    {
        var form = DispatchApp.TwilioForm("CA" + Guid.NewGuid().ToString("N"), digits: digits);
        if (dialStatus is not null) form.Add(new("DialCallStatus", dialStatus));
        return hotline.App.PostWebhook(path, form);
    }

    [Fact]
    public async Task Action_urls_are_absolute_on_the_public_base_url()
    {
        var response = await hotline.App.PostWebhook("/twilio/voice", DispatchApp.TwilioForm("CA" + Guid.NewGuid().ToString("N")));
        var xml = XDocument.Parse(await response.Content.ReadAsStringAsync());
        var urls = xml.Descendants("Gather").Select(g => (string)g.Attribute("action")!).Concat(xml.Descendants("Redirect").Select(r => r.Value)).ToList();
        Assert.NotEmpty(urls);
        Assert.All(urls, url => Assert.StartsWith(DispatchApp.PublicBaseUrl + "/twilio/", url));
    }

    /// <summary>
    /// Twilio signs the URL it requests, the action URL as the answer wrote it, and the service checks signatures
    /// on its public base URL as configured: Twilio's library must write the URL as given, not in another form
    /// (a host in lower case, a default port dropped) that would make every later step's signature fail.
    /// </summary>
    [Theory]
    [InlineData("https://Alice.Example.org:443/")]
    [InlineData("http://LOCALHOST:80")]
    [InlineData("https://alice.example.org")]
    public void Action_urls_are_written_on_the_base_url_signatures_are_checked_on(string publicBaseUrl)
    {
        var options = Options.Create(new TwilioOptions { PublicBaseUrl = publicBaseUrl });
        var written = XDocument.Parse(new VoiceResponse().Append(Twiml.Next(new MenuUrls(options).Language())).Document()).Root!.Element("Redirect")!.Value;
        Assert.Equal(options.Value.BaseUrl + "/twilio/language", written);
    }

    private static readonly Voices DefaultVoices = new(Options.Create(new TwilioOptions()));

    [Fact]
    public void Texts_and_urls_with_markup_characters_read_back_exactly_as_they_were_written()
    {
        // A line break as a line feed: Twilio's library writes a carriage return as it is, and XML reads it as one.
        const string said = "Tom & Jerry say <\"hello\"> and 'bye' > ok,\n\tthen go";
        const string url = "https://alice.example/twilio/menu?lang=fr&try=1&x=%3Cy%3E";

        var twiml = new VoiceResponse()
            .Append(Twiml.KeyPress(url, 3).Append(DefaultVoices.Say(Languages.Dutch, said)))
            .Append(Twiml.Next(url)).Pause(2).Append(Twiml.Bridge("+3220000100", "+32 2 000 01 99 & <1>", action: url)).Hangup().Document();

        var root = XDocument.Parse(twiml).Root!;
        Assert.Equal(["Gather", "Redirect", "Pause", "Dial", "Hangup"], root.Elements().Select(e => e.Name.LocalName));
        var gather = root.Element("Gather")!;
        Assert.Equal(url, (string?)gather.Attribute("action"));
        Assert.Equal("3", (string?)gather.Attribute("timeout"));
        var say = Assert.Single(gather.Elements("Say"));
        Assert.Equal(said, say.Value);
        Assert.Equal(Languages.Dutch.Locale, (string?)say.Attribute("language"));
        Assert.Equal(url, root.Element("Redirect")!.Value);
        Assert.Equal("2", (string?)root.Element("Pause")!.Attribute("length"));
        Assert.Equal(url, (string?)root.Element("Dial")!.Attribute("action"));
        Assert.Equal("+32 2 000 01 99 & <1>", root.Element("Dial")!.Element("Number")!.Value);
    }

    [Fact]
    public void A_text_with_a_character_xml_cannot_carry_is_refused_rather_than_sent_to_twilio_broken()
    {
        // Twilio's library checks characters when it writes the document.
        Assert.Throws<ArgumentException>(() => new VoiceResponse().Append(DefaultVoices.Say(Languages.French, "bonjour\u0001")).Document());
    }
}

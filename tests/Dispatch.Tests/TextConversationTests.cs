using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Tests.Support;

namespace Alice.Dispatch.Tests;

/// <summary>
/// A taxi booked by text message, against real partner and Twilio simulators over HTTP: the conversation in
/// each language (booked, coded, confirmed with the car by text), forged and replayed messages refused, bad
/// bodies a 4xx, nothing of the sender at rest once the ride is over, and the voice menu's limits.
/// </summary>
public partial class TextConversationTests
{
    private const string Car = "White Toyota Prius, 1-ABC-234";

    [Theory]
    [InlineData("Bonjour, j'ai besoin d'un taxi", "Où êtes-vous ? Répondez 1 Métro Alma, 2 Cliniques Saint-Luc, 3 Métro Vandervelde, 0 pour une personne.",
        "Votre code : ", "Je réserve un taxi gratuit depuis Métro Alma.", "Votre taxi est confirmé. Voiture : " + Car + ". Arrivée dans environ 6 min. Code : ")]
    [InlineData("Hallo, ik heb hulp nodig", "Waar bent u? Antwoord 1 Metro Alma, 2 Sint-Lucasziekenhuis, 3 Metro Vandervelde, 0 voor een persoon.",
        "Uw code: ", "Ik reserveer een gratis taxi van Metro Alma.", "Uw taxi is bevestigd. Wagen: " + Car + ". Aankomst over ongeveer 6 min. Code: ")]
    [InlineData("EN", "Where are you? Reply 1 Alma metro, 2 Saint-Luc hospital, 3 Vandervelde metro, 0 for a person.",
        "Your code: ", "I am booking a free taxi from Alma metro.", "Your taxi is confirmed. Car: " + Car + ". Arriving in about 6 min. Code: ")]
    public async Task A_whole_conversation_by_text_is_booked_coded_and_confirmed_with_the_car_in_each_language(
        string first, string menu, string codeLine, string booking, string confirmed)
    {
        await using var setup = await Setup.StartAsync();
        var sender = NewSender();

        Assert.StartsWith(menu, await setup.TextAsync(sender, first));
        // Each reply's status comes back to the service, which then has Twilio delete its record (it holds the number).
        var twiml = await (await setup.App.PostWebhook("/twilio/sms", Form(sender, "?"))).Content.ReadAsStringAsync();
        Assert.Equal(DispatchApp.PublicBaseUrl + "/twilio/sms/sent", XDocument.Parse(twiml).Root!.Element("Message")!.Attribute("action")!.Value);
        Assert.Equal(HttpStatusCode.OK, (await setup.App.PostWebhook("/twilio/sms/sent", [new("MessageSid", NewMessageSid()), new("MessageStatus", "delivered")])).StatusCode);
        var coded = await setup.TextAsync(sender, "1");
        Assert.StartsWith(codeLine, coded);
        Assert.Contains(booking, coded);
        var code = CodeIn(coded);
        var spaced = string.Join(' ', code.ToCharArray());

        // The same ride as a call would make: the code is the ride's, booked with the partner; the organisers'
        // totals count it as a ride booked by text, not as a call answered.
        var ride = await setup.App.RideWhen(await RideIdOf(setup.App, code), r => r.Status == RideStatus.Booked);
        Assert.Equal(1, await setup.App.ScalarAsync("SELECT SUM(value) FROM weekly_totals WHERE measure = 'rides_booked_by_text';"));
        Assert.Equal(1, await setup.App.ScalarAsync("SELECT SUM(value) FROM weekly_totals WHERE measure = 'rides_booked';"));
        Assert.Equal(0, await setup.App.ScalarAsync("SELECT COUNT(*) FROM weekly_totals WHERE measure = 'calls_answered';"));
        Assert.Equal(HttpStatusCode.OK, (await setup.App.PostPartnerEvent(setup.Partner.Name, Event(ride, "accepted"))).StatusCode);
        var sent = await setup.Twilio.SentWhen(all => all.Any(m => m.To == sender && m.Text.Contains(Car)));
        Assert.Equal(confirmed + spaced + ".", sent.Last(m => m.To == sender).Text);
        Assert.All(sent.Where(m => m.To == sender), m => Assert.Equal(DispatchApp.AlmaHotline, m.From));

        // "1" repeats the latest state: the car.
        Assert.Equal(confirmed + spaced + ".", await setup.TextAsync(sender, "1"));
    }

    [Fact]
    public async Task After_the_ride_no_number_message_text_or_message_sid_is_at_rest_nor_in_the_logs()
    {
        await using var setup = await Setup.StartAsync();
        var sender = NewSender();
        const string words = "Bonjour, je suis devant la gare zebulon";
        var sids = new List<string>();
        await setup.TextAsync(sender, words, sids);
        var code = CodeIn(await setup.TextAsync(sender, "2", sids));
        var ride = await setup.App.RideWhen(await RideIdOf(setup.App, code), r => r.Status == RideStatus.Booked);

        // Mid-ride: the number is held, only encrypted.
        Assert.Equal(1, await setup.App.ScalarAsync("SELECT COUNT(*) FROM text_conversations;"));
        Assert.Null(AtRest.WhereIs(await AtRest.ReadAsync(setup.App), sender));

        foreach (var type in new[] { "accepted", "passenger_on_board", "dropped_off" })
            Assert.Equal(HttpStatusCode.OK, (await setup.App.PostPartnerEvent(setup.Partner.Name, Event(ride, type))).StatusCode);
        await Eventually.True(async () => await setup.App.ScalarAsync("SELECT COUNT(*) FROM text_conversations;") == 0, "the conversation was erased at pickup");
        await Eventually.True(async () => await setup.App.ScalarAsync("SELECT COUNT(*) FROM sms_consents;") == 0, "the car message's number was erased");
        await Eventually.True(async () => await setup.App.ScalarAsync("SELECT COUNT(*) FROM twilio_deletions;") == 0, "Twilio's records were deleted");

        var secrets = new List<string> { sender, sender[1..], "0" + sender[3..], "zebulon" };
        secrets.AddRange(sids);
        secrets.AddRange(sids.Select(s => s[2..]));
        secrets.AddRange(setup.Twilio.Outbox.All.Where(m => m.To == sender).Select(m => m.Sid));
        Assert.True(secrets.Count > 6, "the replies' and messages' SIDs are among what is looked for");
        var written = await AtRest.ReadAsync(setup.App);
        await setup.App.StopAsync();
        written.AddRange(await AtRest.ReadAsync(setup.App));
        foreach (var secret in secrets)
        {
            Assert.Null(AtRest.WhereIs(written, secret));
            Assert.DoesNotContain(secret, setup.App.Logs.AllText);
        }
        // The scan finds what it looks for: the ride's id is in the database, the ride in the logs.
        Assert.NotNull(AtRest.WhereIs(written, ride.Id));
    }

    [Fact]
    public async Task A_forged_text_is_refused_and_a_replayed_one_books_and_sends_nothing()
    {
        await using var setup = await Setup.StartAsync();
        var sender = NewSender();
        var form = Form(sender, "Bonjour");

        var unsigned = await setup.App.CreateClient().PostAsync("/twilio/sms", new FormUrlEncodedContent(form));
        var forged = await setup.App.PostWebhook("/twilio/sms", form, DispatchApp.SignatureFor("/twilio/sms", form, token: "not-the-auth-token"));
        var swapped = await setup.App.PostWebhook("/twilio/sms", form, DispatchApp.SignatureFor("/twilio/sms", Form(NewSender(), "Bonjour", Sid(form))));
        Assert.Equal([HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden], [unsigned.StatusCode, forged.StatusCode, swapped.StatusCode]);
        Assert.Equal(0, await setup.App.ScalarAsync("SELECT COUNT(*) FROM text_conversations;"));

        // Signed as Twilio signs it, the message is answered; the same request again, a replay, is refused.
        Assert.Equal(HttpStatusCode.OK, (await setup.App.PostWebhook("/twilio/sms", form)).StatusCode);
        var choice = Form(sender, "1");
        var booked = await setup.App.PostWebhook("/twilio/sms", choice);
        Assert.Equal(HttpStatusCode.OK, booked.StatusCode);
        var rides = await setup.App.RidesInDatabase();
        var replayed = await setup.App.PostWebhook("/twilio/sms", choice);
        Assert.Equal(HttpStatusCode.Conflict, replayed.StatusCode);
        Assert.DoesNotContain("<Message", await replayed.Content.ReadAsStringAsync());
        Assert.Equal(rides.Select(r => r.Id), (await setup.App.RidesInDatabase()).Select(r => r.Id));
        Assert.Single(rides);
    }

    [Theory]
    [InlineData("From", "Anonymous", HttpStatusCode.BadRequest)]
    [InlineData("MessageSid", null, HttpStatusCode.BadRequest)]
    [InlineData("To", "+3225559999", HttpStatusCode.NotFound)]
    [InlineData("Body", "long", HttpStatusCode.RequestEntityTooLarge)]
    public async Task A_malformed_text_is_a_4xx_and_holds_nothing(string field, string? value, HttpStatusCode expected)
    {
        await using var setup = await Setup.StartAsync();
        var form = Form(NewSender(), "Bonjour").Where(kv => kv.Key != field).ToList();
        if (value is not null) form.Add(new(field, value == "long" ? new string('a', 1601) : value));
        Assert.Equal(expected, (await setup.App.PostWebhook("/twilio/sms", form)).StatusCode);
        Assert.Equal(0, await setup.App.ScalarAsync("SELECT COUNT(*) FROM text_conversations;"));
    }

    [Fact]
    public async Task An_oversized_or_unreadable_body_is_a_4xx()
    {
        await using var setup = await Setup.StartAsync();
        var form = Form(NewSender(), new string('a', 70_000));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await setup.App.PostWebhook("/twilio/sms", form)).StatusCode);
        var json = new HttpRequestMessage(HttpMethod.Post, "/twilio/sms") { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
        json.Headers.Add(Alice.Signatures.TwilioWebhookSigner.Header, "x");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await setup.App.CreateClient().SendAsync(json)).StatusCode);
    }

    [Fact]
    public async Task A_number_texting_for_more_taxis_than_a_caller_may_book_in_an_hour_is_given_a_person()
    {
        await using var setup = await Setup.StartAsync(new() { ["Abuse:CallerBookingsPerHour"] = "1" });
        var sender = NewSender();
        // By voice first: the number's one ride this hour.
        var call = setup.App.Call(from: sender);
        await call.PlayAsync("-1");
        Assert.NotNull(call.CodeHeard());

        await setup.TextAsync(sender, "Bonjour");
        var reply = await setup.TextAsync(sender, "1");
        Assert.Equal("Ce numéro a déjà demandé plusieurs taxis dans l'heure. Une personne va vous répondre ici, par écrit.", reply);
        Assert.Single(await setup.App.RidesInDatabase());
        Assert.Equal(1, await setup.App.ScalarAsync("SELECT COUNT(*) FROM alerts WHERE kind = 'written';"));
    }

    [Fact]
    public async Task A_flood_of_texts_meets_the_campus_limit_as_calls_do()
    {
        await using var setup = await Setup.StartAsync(new() { ["Abuse:CampusBookingsPerWindow"] = "5" });
        var replies = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            var sender = NewSender();
            await setup.TextAsync(sender, "hello");
            replies.Add(await setup.TextAsync(sender, "1"));
        }
        Assert.Equal(5, replies.Count(r => r.StartsWith("Your code: ")));
        Assert.Equal(3, replies.Count(r => r == "A person will arrange your taxi and answer you here, in writing."));
        Assert.Equal(5, (await setup.App.RidesInDatabase()).Count);
        // The limit is the campus's, whatever the channel: a caller now is put through to a person too.
        var call = setup.App.Call();
        await call.PlayAsync("-1");
        Assert.Null(call.CodeHeard());
        Assert.Equal(5, (await setup.App.RidesInDatabase()).Count);
    }

    [Fact]
    public async Task A_message_not_understood_twice_asks_a_person_once()
    {
        await using var setup = await Setup.StartAsync();
        var sender = NewSender();
        await setup.TextAsync(sender, "Hello");
        Assert.StartsWith("Sorry, I did not get that. Where are you?", await setup.TextAsync(sender, "where?"));
        Assert.Equal("A person will answer you here, in writing.", await setup.TextAsync(sender, "what"));
        Assert.Equal("A person will answer you here, in writing.", await setup.TextAsync(sender, "0"));
        Assert.Equal(1, await setup.App.ScalarAsync("SELECT COUNT(*) FROM alerts WHERE kind = 'written';"));
    }

    [Fact]
    public async Task Zero_is_answered_by_the_centre_in_writing_and_the_console_never_shows_the_number()
    {
        await using var setup = await Setup.StartAsync();
        using var nurse = await Staff.LoggedInAsync(setup.App, Alice.Accounts.Roles.Centre, "nurse-written");
        var sender = NewSender();
        await setup.TextAsync(sender, "Hallo");
        Assert.Equal("Een medewerker antwoordt u hier, schriftelijk.", await setup.TextAsync(sender, "0"));

        // The alert is on the board with its answer form, and the on-call phone is told.
        var (page, alertId) = await WrittenAlertAsync(nurse);
        await setup.Twilio.SentWhen(all => all.Any(m => m.To != sender && m.Text.Contains("someone texting asks for a person")));

        const string answer = "Bonjour, ici le CPVS. Où êtes-vous exactement ?";
        var answered = await nurse.PostAsync($"/centre/alerts/{alertId}/answer", page, new() { ["text"] = answer });
        Assert.Equal(HttpStatusCode.Redirect, answered.StatusCode);
        var relayed = Assert.Single(await setup.Twilio.SentWhen(all => all.Any(m => m.To == sender)), m => m.To == sender);
        Assert.Equal((answer, DispatchApp.AlmaHotline), (relayed.Text, relayed.From));

        // Audited without the words; the console, before and after, never holds the number.
        var after = await nurse.Client.GetStringAsync("/centre");
        Assert.Contains("nurse-written", after);
        foreach (var shown in new[] { page, after, await nurse.Client.GetStringAsync("/centre/board") })
        {
            Assert.DoesNotContain(sender, shown);
            Assert.DoesNotContain(sender[3..], shown);
        }
        Assert.Equal(1, await setup.App.ScalarAsync("SELECT COUNT(*) FROM audit_log WHERE action = 'alert.answered-in-writing';"));
        Assert.Null(AtRest.WhereIs(await AtRest.ReadAsync(setup.App), "exactement"));

        // An empty answer is refused and sends nothing.
        var empty = await nurse.PostAsync($"/centre/alerts/{alertId}/answer", after, new() { ["text"] = "  " });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Single(setup.Twilio.Outbox.All, m => m.To == sender);

        // Resolved, the alert goes as long after as a ride's would (it belongs to no ride).
        Assert.Equal(HttpStatusCode.Redirect, (await nurse.PostAsync($"/centre/alerts/{alertId}/resolve", after, [])).StatusCode);
        await Microsoft.Extensions.DependencyInjection.ActivatorUtilities.CreateInstance<Texting.ConversationSweep>(setup.App.Services,
            (TimeProvider)new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(23))).RunAsync(default);
        Assert.Equal(1, await setup.App.ScalarAsync("SELECT COUNT(*) FROM alerts WHERE kind = 'written';"));
        await Microsoft.Extensions.DependencyInjection.ActivatorUtilities.CreateInstance<Texting.ConversationSweep>(setup.App.Services,
            (TimeProvider)new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(25))).RunAsync(default);
        Assert.Equal(0, await setup.App.ScalarAsync("SELECT COUNT(*) FROM alerts WHERE kind = 'written';"));
    }

    [Fact]
    public async Task Once_the_conversation_is_erased_its_alert_says_no_answer_can_reach_them_and_offers_no_form_but_can_still_be_resolved()
    {
        await using var setup = await Setup.StartAsync();
        using var nurse = await Staff.LoggedInAsync(setup.App, Alice.Accounts.Roles.Centre, "nurse-too-late");
        var sender = NewSender();
        await setup.TextAsync(sender, "Bonjour");
        await setup.TextAsync(sender, "0");
        var (page, alertId) = await WrittenAlertAsync(nurse);

        // Two hours after the first message the number is erased, the alert still open.
        await Microsoft.Extensions.DependencyInjection.ActivatorUtilities.CreateInstance<Texting.ConversationSweep>(setup.App.Services,
            (TimeProvider)new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(2).AddSeconds(1))).RunAsync(default);
        Assert.Equal(0, await setup.App.ScalarAsync("SELECT COUNT(*) FROM text_conversations;"));

        foreach (var shown in new[] { await nurse.Client.GetStringAsync("/centre"), await nurse.Client.GetStringAsync("/centre/board") })
        {
            Assert.Contains($"data-alert=\"{alertId}\"", shown);
            Assert.DoesNotContain($"/centre/alerts/{alertId}/answer", shown);
            Assert.Contains("aucune réponse ne peut plus lui parvenir", System.Net.WebUtility.HtmlDecode(shown));
            Assert.Contains($"/centre/alerts/{alertId}/resolve", shown);
        }
        // An answer sent anyway (a page left open since) is refused with the reason, and nothing is sent.
        var late = await nurse.PostAsync($"/centre/alerts/{alertId}/answer", page, new() { ["text"] = "Bonjour ?" });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("la réponse ne peut plus être envoyée", System.Net.WebUtility.HtmlDecode(await late.Content.ReadAsStringAsync()));
        Assert.DoesNotContain(setup.Twilio.Outbox.All, m => m.To == sender && m.Text == "Bonjour ?");
        Assert.Equal(HttpStatusCode.Redirect, (await nurse.PostAsync($"/centre/alerts/{alertId}/resolve", page, [])).StatusCode);
        Assert.Equal(0, await setup.App.ScalarAsync("SELECT COUNT(*) FROM alerts WHERE kind = 'written' AND resolved_at IS NULL;"));
    }

    /// <summary>The written alert as the nurse's console shows it, with its answer form: the page and the alert's id.</summary>
    private static async Task<(string Page, string AlertId)> WrittenAlertAsync(Staff nurse)
    {
        var page = await nurse.Client.GetStringAsync("/centre");
        var alertId = Regex.Match(page, "data-alert=\"([^\"]+)\"").Groups[1].Value;
        Assert.Contains($"action=\"/centre/alerts/{alertId}/answer\"", page);
        return (page, alertId);
    }

    [Fact]
    public async Task A_ride_handed_to_a_person_is_told_so_by_text_and_the_number_is_erased_then_zero_starts_a_written_conversation()
    {
        await using var setup = await Setup.StartAsync(new() { ["Partners:BudgetPerPartnerSeconds"] = "2", ["Partners:HandOverAfterSeconds"] = "3" });
        setup.Partner.Faults.Set(new() { DownUntil = DateTimeOffset.UtcNow.AddMinutes(5) });
        var sender = NewSender();
        await setup.TextAsync(sender, "Hello");
        var code = CodeIn(await setup.TextAsync(sender, "3"));
        await setup.App.RideWhen(await RideIdOf(setup.App, code), r => r.Status == RideStatus.NeedsPerson);

        var told = await setup.Twilio.SentWhen(all => all.Any(m => m.To == sender));
        Assert.Equal("No taxi has confirmed yet. Reply 0 and a person will write to you. In danger, call 112.", Assert.Single(told, m => m.To == sender).Text);
        await Eventually.True(async () => await setup.App.ScalarAsync("SELECT COUNT(*) FROM text_conversations;") == 0, "the number was erased at hand-over");
        Assert.Null(AtRest.WhereIs(await AtRest.ReadAsync(setup.App), sender));

        // A new conversation: "0" at once asks a person in writing, in the language of the message.
        Assert.Equal("Une personne va vous répondre ici, par écrit.", await setup.TextAsync(sender, "0"));
        Assert.Equal(1, await setup.App.ScalarAsync("SELECT COUNT(*) FROM alerts WHERE kind = 'written';"));
    }

    [Fact]
    public async Task A_conversation_is_erased_two_hours_after_its_first_message_whatever_its_ride_does()
    {
        await using var setup = await Setup.StartAsync();
        var sender = NewSender();
        await setup.TextAsync(sender, "Bonjour");
        CodeIn(await setup.TextAsync(sender, "1"));
        var sweep = Microsoft.Extensions.DependencyInjection.ActivatorUtilities.CreateInstance<Texting.ConversationSweep>(setup.App.Services,
            (TimeProvider)new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(2).AddMinutes(-1)));
        await sweep.RunAsync(default);
        Assert.Equal(1, await setup.App.ScalarAsync("SELECT COUNT(*) FROM text_conversations;"));

        var later = Microsoft.Extensions.DependencyInjection.ActivatorUtilities.CreateInstance<Texting.ConversationSweep>(setup.App.Services,
            (TimeProvider)new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(2).AddSeconds(1)));
        await later.RunAsync(default);
        Assert.Equal(0, await setup.App.ScalarAsync("SELECT COUNT(*) FROM text_conversations;"));
        // The ride is no longer the conversation's: a message now starts another conversation, with the menu.
        Assert.StartsWith("Où êtes-vous ?", await setup.TextAsync(sender, "1"));
    }

    [Fact]
    public async Task In_development_the_phone_texts_as_infra_text_does_and_the_reply_comes_back()
    {
        var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var _ = partner;
        await using var app = new DispatchApp(partner, environment: "Development", settings: new() { ["Twilio:AuthToken"] = "development-only-twilio-token" });
        var client = await app.CreateClient().WithPageTokenAsync();
        Assert.Contains("Text message", await client.GetStringAsync("/dev/phone"));

        var menu = await (await client.PostAsync("/dev/phone/text?body=" + Uri.EscapeDataString("Hallo"), null)).Content.ReadAsStringAsync();
        Assert.StartsWith("Waar bent u? Antwoord 1 Metro Alma", menu);
        var coded = await (await client.PostAsync("/dev/phone/text?body=2", null)).Content.ReadAsStringAsync();
        Assert.StartsWith("Uw code: ", coded);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.CreateClient().PostAsync("/dev/phone/text?body=1", null)).StatusCode); // without the page's token
    }

    internal static string NewSender() => "+32476" + RandomNumberGenerator.GetInt32(100000, 999999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    internal static string NewMessageSid() => "SM" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>What Twilio posts for an incoming text message.</summary>
    internal static List<KeyValuePair<string, string>> Form(string from, string body, string? sid = null)
    {
        sid ??= NewMessageSid();
        return
        [
            new("AccountSid", "AC00000000000000000000000000000000"), new("MessageSid", sid), new("SmsSid", sid), new("From", from),
            new("To", DispatchApp.AlmaHotline), new("Body", body), new("NumMedia", "0"), new("ApiVersion", "2010-04-01"),
        ];
    }

    private static string Sid(List<KeyValuePair<string, string>> form) => form.Single(kv => kv.Key == "MessageSid").Value;

    /// <summary>The one message of a TwiML reply.</summary>
    internal static string ReplyIn(string twiml) => XDocument.Parse(twiml).Root!.Element("Message")?.Value ?? "";

    [GeneratedRegex(@"(?:code :|code:) ([1-9]) ([1-9]) ([1-9]) ([1-9])\.")]
    private static partial Regex CodeLine();

    internal static string CodeIn(string reply) =>
        CodeLine().Match(reply) is { Success: true } m ? string.Concat(m.Groups.Values.Skip(1).Select(g => g.Value)) : throw new Xunit.Sdk.XunitException("no code in: " + reply);

    private static async Task<string> RideIdOf(DispatchApp app, string code) =>
        (await app.RidesInDatabase()).Single(r => r.BookingCode == code).Id;

    private static object Event(Ride ride, string type) => new
    {
        eventId = Guid.NewGuid().ToString(), bookingId = ride.PartnerBookingId, reference = ride.BookingCode, type,
        etaMinutes = type == "accepted" ? 6 : (int?)null,
        vehicle = type == "accepted" ? new { description = "White Toyota Prius", plate = "1-ABC-234" } : null,
        at = DateTimeOffset.UtcNow,
    };

    /// <summary>A partner, a Twilio simulator of its own, and the service looking at messages every second.</summary>
    internal sealed class Setup : IAsyncDisposable
    {
        public required PartnerSimulatorHost Partner { get; init; }
        public required TwilioSimulatorHost Twilio { get; init; }
        public required DispatchApp App { get; init; }

        public static async Task<Setup> StartAsync(Dictionary<string, string?>? more = null)
        {
            var partner = new PartnerSimulatorHost();
            await partner.InitializeAsync();
            var twilio = await TwilioSimulatorHost.StartAsync();
            var settings = new Dictionary<string, string?>(twilio.Settings) { ["Messages:SendEverySeconds"] = "1" };
            foreach (var (key, value) in more ?? []) settings[key] = value;
            var app = new DispatchApp(partner, settings: settings);
            app.CreateClient().Dispose();
            return new Setup { Partner = partner, Twilio = twilio, App = app };
        }

        /// <summary>Texts the campus as Twilio would deliver it; the reply's words (a 200 is required).</summary>
        public async Task<string> TextAsync(string from, string body, List<string>? sids = null)
        {
            var form = Form(from, body);
            sids?.Add(Sid(form));
            var response = await App.PostWebhook("/twilio/sms", form);
            var twiml = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {twiml}");
            Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
            return ReplyIn(twiml);
        }

        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            await Twilio.DisposeAsync();
            await Partner.DisposeAsync();
        }
    }
}

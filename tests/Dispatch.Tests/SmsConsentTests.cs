using System.Net;
using Alice.Dispatch.DevPhone;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Tests.Support;

namespace Alice.Dispatch.Tests;

/// <summary>
/// The car by text message, only with consent (key 2 after the code): without the key press no number
/// is held at any moment; with it, the caller is texted after the partner confirms, from the hotline,
/// and the number is gone right after the message naming the car. Real partner and Twilio simulators
/// over HTTP, on the real clock; the timing of expiry and retries is in <see cref="SmsConsentClockTests"/>.
/// </summary>
public class SmsConsentTests
{
    private const string CallerNumber = "+32475123987";
    private const string Car = "White Toyota Prius, 1-ABC-234";

    [Fact]
    public async Task Without_the_key_press_no_number_is_held_at_any_moment_of_the_call()
    {
        await using var setup = await Setup.StartAsync();
        // The partner answers late, so the caller waits on the line for several rounds.
        setup.Partner.Faults.Set(new() { LatencyMs = 2500 });
        var call = setup.App.Call(from: CallerNumber);
        var playing = call.PlayAsync("-1");

        var looks = 0;
        string? heldMidCall = null;
        while (!playing.IsCompleted)
        {
            Assert.Empty(await Consents(setup.App));
            if (looks++ == 10) heldMidCall = AtRest.WhereIs(await AtRest.ReadAsync(setup.App), CallerNumber);
            await Task.Delay(20);
        }
        await playing;
        Assert.True(looks > 10, "the call ended before it could be looked at mid-call");
        Assert.Contains(call.Transcript, l => l.Text.StartsWith("Pour recevoir la voiture et sa plaque par SMS, tapez 2"));
        Assert.Null(heldMidCall);

        // The car is named: a consent would be texted now, and nothing is.
        var ride = await setup.App.RideWhen(await setup.App.RideOf(call), r => r.Status == RideStatus.Booked);
        Assert.Equal(HttpStatusCode.OK, (await setup.App.PostPartnerEvent(setup.Partner.Name, Accepted(ride))).StatusCode);
        // Two whole runs of the messaging job, begun once the car was named: each had its chance to text.
        await (await JobRuns.WatchAsync(setup.App, Alice.Dispatch.Messages.CarMessageJob.Key)).EndedAsync(2);
        Assert.Empty(await Consents(setup.App));
        Assert.DoesNotContain(setup.Twilio.Outbox.All, s => s.To == CallerNumber);
        var whileRunning = await AtRest.ReadAsync(setup.App);
        await setup.App.StopAsync();
        Assert.Null(AtRest.WhereIs(whileRunning.Concat(await AtRest.ReadAsync(setup.App)), CallerNumber));
        Assert.DoesNotContain(CallerNumber[3..], setup.App.Logs.AllText);
    }

    [Fact]
    public async Task With_the_key_press_the_car_is_texted_after_the_partner_confirms_and_the_number_is_gone_right_after()
    {
        await using var setup = await Setup.StartAsync();
        setup.Partner.Faults.Set(new() { LatencyMs = 2000 });
        var call = setup.App.Call(from: CallerNumber);
        var playing = PressTwoAfterTheCode(call);

        // Held, encrypted, while no partner has confirmed: nothing is texted yet.
        var held = await ConsentWhen(setup.App, c => c.Count == 1, "the key press is held");
        var rideId = await setup.App.RideOf(call);
        Assert.Equal(rideId, held[0].RideId);
        Assert.DoesNotContain(CallerNumber[3..], held[0].NumberProtected);
        Assert.Equal(RideStatus.Requested, (await setup.App.Ride(rideId))!.Status);
        Assert.Empty(setup.Twilio.Outbox.All);
        Assert.Null(AtRest.WhereIs(await AtRest.ReadAsync(setup.App), CallerNumber));
        await playing;
        Assert.Contains(call.Transcript, l => l.Text == "C'est noté : vous recevrez le SMS avec la confirmation.");
        Assert.Contains(call.Transcript, l => l.Text == "Votre taxi est confirmé."); // the caller waited on the line as after the code

        // Confirmed without a car: the ETA and the code, from the hotline; the number waits for the car.
        var ride = await setup.App.RideWhen(rideId, r => r.Status == RideStatus.Booked);
        var spaced = string.Join(' ', ride.BookingCode.ToCharArray());
        var first = Assert.Single(await setup.Twilio.SentWhen(all => all.Count == 1));
        Assert.Equal(("message", CallerNumber, DispatchApp.AlmaHotline), (first.Kind, first.To, first.From));
        Assert.Equal($"Votre taxi est confirmé. Arrivée dans environ {ride.EtaMinutes} min. Code : {spaced}.", first.Text);
        Assert.Single(await Consents(setup.App));

        // The partner names the car: it is texted, and the number is gone right after.
        Assert.Equal(HttpStatusCode.OK, (await setup.App.PostPartnerEvent(setup.Partner.Name, Accepted(ride))).StatusCode);
        var sent = await setup.Twilio.SentWhen(all => all.Count == 2);
        var gone = await ConsentWhen(setup.App, c => c.Count == 0, "the number is erased", within: TimeSpan.FromSeconds(1));
        Assert.Empty(gone);
        Assert.Equal($"Votre taxi est confirmé. Voiture : {Car}. Arrivée dans environ 6 min. Code : {spaced}.", sent[1].Text);
        Assert.All(sent, s => Assert.Equal((CallerNumber, DispatchApp.AlmaHotline), (s.To, s.From)));
        Assert.All(sent, s => Assert.Null(Privacy.RevealingWords.In(s.Text)));

        // Moments later no byte of the database holds the ciphertext (on SQLite the erased row is zeroed
        // and the WAL truncated), nothing more is sent, and the number was never in plain text nor logged.
        await NoByteHolds(setup.App, held[0].NumberProtected, within: TimeSpan.FromSeconds(2));
        // Two whole runs of the messaging job from here: either would have sent a third message.
        await (await JobRuns.WatchAsync(setup.App, Alice.Dispatch.Messages.CarMessageJob.Key)).EndedAsync(2);
        Assert.Equal(2, setup.Twilio.Outbox.All.Count);
        Assert.Null(AtRest.WhereIs(await AtRest.ReadAsync(setup.App), CallerNumber));
        Assert.DoesNotContain(CallerNumber[3..], setup.App.Logs.AllText);
        Assert.Contains(setup.App.Logs.Entries, e => e.Contains(rideId) && e.Contains("texted"));
    }

    [Theory]
    [InlineData("-1", "To receive the car", "Pour recevoir la voiture et sa plaque par SMS, tapez 2 : je garde votre numéro seulement jusqu'à l'envoi.", "C'est noté : vous recevrez le SMS avec la confirmation.")]
    [InlineData("21", "Pour recevoir", "Om de wagen en de nummerplaat per sms te krijgen, druk 2: ik bewaar uw nummer alleen tot het bericht verstuurd is.", "Genoteerd: u krijgt de sms bij de bevestiging.")]
    [InlineData("31", "Om de wagen", "To receive the car and its plate by text message, press 2: I keep your number only until it is sent.", "Noted: you will get the text message with the confirmation.")]
    public async Task The_offer_is_one_sentence_after_the_code_and_the_key_press_is_confirmed_in_one_sentence_in_each_language(
        string keys, string otherLanguage, string offer, string noted)
    {
        await using var setup = await Setup.StartAsync();
        setup.Partner.Faults.Set(new() { LatencyMs = 1500 });
        var call = setup.App.Call(from: CallerNumber);
        await call.PlayAsync(keys + "2");

        var said = call.Transcript.Where(l => l.Who == "alice").Select(l => l.Text).ToList();
        var codeAt = said.FindIndex(t => t.Contains(", ") && char.IsDigit(t[^2]));
        Assert.True(codeAt > 0, call.Text());
        Assert.Single(said, offer);
        Assert.True(said.IndexOf(offer) > codeAt, "the offer comes after the code");
        Assert.DoesNotContain(said, t => t.StartsWith(otherLanguage));
        var notedAt = said.IndexOf(noted);
        Assert.True(notedAt > said.IndexOf(offer), call.Text());
        Assert.True(call.Ended);
        var ride = (await setup.App.RidesInDatabase()).Single(r => r.BookingCode == call.CodeHeard());
        var sms = Assert.Single(await setup.Twilio.SentWhen(all => all.Count == 1));
        Assert.Contains(string.Join(' ', ride.BookingCode.ToCharArray()), sms.Text);
        Assert.StartsWith(ride.Language switch { "nl" => "Uw taxi", "en" => "Your taxi", _ => "Votre taxi" }, sms.Text);
    }

    [Fact]
    public async Task A_hidden_number_is_told_it_cannot_be_texted_and_nothing_is_held()
    {
        await using var setup = await Setup.StartAsync();
        setup.Partner.Faults.Set(new() { LatencyMs = 1000 });
        var call = setup.App.Call(from: "Anonymous");
        await PressTwoAfterTheCode(call);

        Assert.Contains(call.Transcript, l => l.Text == "Votre numéro est masqué : je ne peux pas vous envoyer de SMS.");
        Assert.Contains(call.Transcript, l => l.Text == "Votre taxi est confirmé.");
        Assert.Empty(await Consents(setup.App));
    }

    [Fact]
    public async Task A_key_press_without_from_gets_a_clear_400_and_holds_nothing()
    {
        await using var setup = await Setup.StartAsync();
        var form = DispatchApp.TwilioForm("CA" + Guid.NewGuid().ToString("N"), digits: "1");
        await setup.App.PostWebhook("/twilio/pickup?lang=fr&try=1", form);
        var withoutFrom = form.Where(f => f.Key is not ("From" or "Caller" or "Digits")).Append(new("Digits", "2")).ToList();

        var response = await setup.App.PostWebhook("/twilio/code?lang=fr", withoutFrom);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("From (the caller's number) is required", await response.Content.ReadAsStringAsync());
        Assert.Empty(await Consents(setup.App));
    }

    [Fact]
    public async Task A_forged_key_press_is_refused_and_holds_nothing()
    {
        await using var setup = await Setup.StartAsync();
        var callSid = "CA" + Guid.NewGuid().ToString("N");
        await setup.App.PostWebhook("/twilio/pickup?lang=fr&try=1", DispatchApp.TwilioForm(callSid, from: CallerNumber, digits: "1"));
        var form = DispatchApp.TwilioForm(callSid, from: CallerNumber, digits: "2");

        var unsigned = await setup.App.CreateClient().PostAsync("/twilio/code?lang=fr", new FormUrlEncodedContent(form));
        var forged = await setup.App.PostWebhook("/twilio/code?lang=fr", form, DispatchApp.SignatureFor("/twilio/code?lang=fr", form, token: "not-the-auth-token"));
        var signedForAnotherNumber = DispatchApp.SignatureFor("/twilio/code?lang=fr", DispatchApp.TwilioForm(callSid, from: "+32475000000", digits: "2"));
        var swapped = await setup.App.PostWebhook("/twilio/code?lang=fr", form, signedForAnotherNumber);

        Assert.Equal([HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden], [unsigned.StatusCode, forged.StatusCode, swapped.StatusCode]);
        Assert.Empty(await Consents(setup.App));
        // The same key press, signed as Twilio signs it, is held: the refusals were the signature's.
        Assert.Equal(HttpStatusCode.OK, (await setup.App.PostWebhook("/twilio/code?lang=fr", form)).StatusCode);
        Assert.Single(await Consents(setup.App));
    }

    /// <summary>French, the Alma metro, then key 2 after the code: the call goes on until the partner confirms.</summary>
    private static async Task PressTwoAfterTheCode(SimulatedCall call)
    {
        await call.StartAsync();
        await call.WaitAsync();
        await call.PressAsync('1');
        await call.PressAsync('2');
    }

    private static object Accepted(Ride ride) => new
    {
        eventId = Guid.NewGuid().ToString(), bookingId = ride.PartnerBookingId, reference = ride.BookingCode, type = "accepted",
        etaMinutes = 6, vehicle = new { description = "White Toyota Prius", plate = "1-ABC-234" }, at = DateTimeOffset.UtcNow,
    };

    /// <summary>The sms_consents table, read straight from the database.</summary>
    internal static Task<List<(string RideId, string NumberProtected)>> Consents(DispatchApp app) =>
        app.ColumnAsync<(string, string)>("SELECT ride_id, number_protected FROM sms_consents;");

    private static async Task<List<(string RideId, string NumberProtected)>> ConsentWhen(
        DispatchApp app, Func<List<(string RideId, string NumberProtected)>, bool> condition, string what, TimeSpan? within = null)
    {
        var consents = new List<(string, string)>();
        await Eventually.True(async () => condition(consents = await Consents(app)), what, within ?? TimeSpan.FromSeconds(15));
        return consents;
    }

    /// <summary>Waits until no file (SQLite) or row (PostgreSQL) of the service's database holds this text.</summary>
    private static Task NoByteHolds(DispatchApp app, string text, TimeSpan within) =>
        Eventually.True(async () => AtRest.WhereIs(await AtRest.ReadAsync(app), text) is null, "no byte of the database holds the ciphertext", within);

    /// <summary>A partner, a Twilio simulator of its own, and the service looking at consents every second.</summary>
    private sealed class Setup : IAsyncDisposable
    {
        public required PartnerSimulatorHost Partner { get; init; }
        public required TwilioSimulatorHost Twilio { get; init; }
        public required DispatchApp App { get; init; }

        public static async Task<Setup> StartAsync()
        {
            var partner = new PartnerSimulatorHost();
            await partner.InitializeAsync();
            var twilio = await TwilioSimulatorHost.StartAsync();
            var app = new DispatchApp(partner, settings: new(twilio.Settings) { ["Messages:SendEverySeconds"] = "1" });
            app.CreateClient().Dispose();
            return new Setup { Partner = partner, Twilio = twilio, App = app };
        }

        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            await Twilio.DisposeAsync();
            await Partner.DisposeAsync();
        }
    }
}

using Alice.Dispatch.Rides;
using Alice.Dispatch.Tests.Support;
using Alice.Dispatch.Twilio;

namespace Alice.Dispatch.Tests;

/// <summary>Whole calls through the menu, in-process, with bookings reaching the partner simulator over HTTP.</summary>
public class VoiceMenuTests(Hotline hotline) : IClassFixture<Hotline>
{
    private DispatchApp App => hotline.App;
    private PartnerSimulatorHost Partner => hotline.Partner;

    [Theory]
    [InlineData("-1", "fr-BE", "Métro Alma")]     // presses nothing: French
    [InlineData("22", "nl-BE", "Cliniques Saint-Luc")]
    [InlineData("33", "en-GB", "Métro Vandervelde")]
    public async Task A_caller_in_each_language_hears_a_code_and_the_partner_receives_a_signed_booking(string keys, string voice, string pickupSentToPartner)
    {
        var call = App.Call();
        await call.PlayAsync(keys);

        var code = call.CodeHeard();
        Assert.NotNull(code);
        Assert.Contains(call.Transcript, l => l.Who == "alice" && l.Language == voice && l.Text.Contains(code[0]));
        var booking = await Partner.BookingFor(code);
        var ride = Assert.Single(await App.RidesInDatabase(), r => r.BookingCode == code);
        Assert.Equal(ride.Id, booking.IdempotencyKey);     // the ride id is the idempotency key
        Assert.Equal(voice[..2], ride.Language);
        Assert.Equal(pickupSentToPartner, booking.Body.GetProperty("pickup").GetProperty("name").GetString());
        Assert.Equal("Rue Haute 320, 1000 Bruxelles", booking.Body.GetProperty("destination").GetProperty("address").GetString());
        Assert.Equal(0, Partner.Ledger.Refused);           // the simulator checked the signature and accepted it
        Assert.True(call.Ended);
    }

    [Fact]
    public async Task The_code_is_heard_after_at_most_two_key_presses_and_says_the_taxi_is_free()
    {
        var call = App.Call();
        await call.PlayAsync("-2");
        Assert.NotNull(call.CodeHeard());
        Assert.Contains(call.Transcript, l => l.Text.Contains("taxi gratuit"));
        Assert.Contains(call.Transcript, l => l.Text.Contains("violences sexuelles"));
    }

    [Fact]
    public async Task Pressing_one_after_the_code_repeats_the_same_code()
    {
        // The partner is down, so the ride stays unconfirmed: once the partner has booked it, pressing 1 hears
        // the confirmation instead (the code once, and goodbye). Not a race with the booking job.
        Partner.Faults.Set(new() { DownUntil = DateTimeOffset.UtcNow.AddMinutes(5) });
        var call = App.Call();
        string code;
        try
        {
            await call.StartAsync();
            await call.WaitAsync();
            await call.PressAsync('1');
            code = call.CodeHeard()!;
            await call.PressAsync('1');
        }
        finally
        {
            Partner.Faults.Set(new());
        }
        var spoken = call.Transcript.Count(l => l.Text.Contains($"{code[0]}, {code[1]}, {code[2]}, {code[3]}."));
        Assert.Equal(4, spoken); // twice in the first message, twice more on repeat
        Assert.Single(await App.RidesInDatabase(), r => r.BookingCode == code);
    }

    [Fact]
    public async Task Two_callers_at_the_same_time_get_different_codes()
    {
        var first = App.Call();
        var second = App.Call();
        await Task.WhenAll(first.PlayAsync("-1"), second.PlayAsync("-1"));
        Assert.NotNull(first.CodeHeard());
        Assert.NotEqual(first.CodeHeard(), second.CodeHeard());
    }

    [Fact]
    public async Task The_same_gather_result_posted_twice_books_once()
    {
        var callSid = "CA" + Guid.NewGuid().ToString("N");
        var form = DispatchApp.TwilioForm(callSid, digits: "1");
        var first = await (await App.PostWebhook("/twilio/pickup?lang=fr&try=1", form)).Content.ReadAsStringAsync();
        var second = await (await App.PostWebhook("/twilio/pickup?lang=fr&try=1", form)).Content.ReadAsStringAsync();

        // The same ride and code both times (the second answer may already say the taxi is confirmed).
        var code = Assert.Single(await App.RidesInDatabase(), r => first.Contains(string.Join(", ", r.BookingCode.ToCharArray()))).BookingCode;
        Assert.Contains(string.Join(", ", code.ToCharArray()), second);
        var booking = await Partner.BookingFor(code);
        // A ride asked for after both, as a marker: once it is booked, a second booking of the first,
        // asked for before it, would have reached the partner too.
        await App.RideWhen(await App.BookRide(), r => r.Status == RideStatus.Booked);
        Assert.Equal(1, Partner.Bookings.Count(b => b.Reference == code));
        Assert.Equal(1, Partner.Bookings.Single(b => b.Reference == code).Requests);
        Assert.Equal(booking.BookingId, Partner.Bookings.Single(b => b.Reference == code).BookingId);
    }

    [Fact]
    public async Task The_same_choice_posted_concurrently_still_makes_one_ride()
    {
        var callSid = "CA" + Guid.NewGuid().ToString("N");
        var form = DispatchApp.TwilioForm(callSid, digits: "2");
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
            await (await App.PostWebhook("/twilio/pickup?lang=en&try=1", form)).Content.ReadAsStringAsync()));
        // One ride, and every answer carries its code (a later one may already say the taxi is confirmed).
        var ride = Assert.Single(await App.RidesInDatabase(), r => answers[0].Contains(string.Join(", ", r.BookingCode.ToCharArray())));
        Assert.All(answers, answer => Assert.Contains(string.Join(", ", ride.BookingCode.ToCharArray()), answer));
    }

    [Fact]
    public async Task Pressing_zero_bridges_to_the_campus_human_line_with_the_hotline_as_caller_id()
    {
        var call = App.Call();
        await call.PlayAsync("-0");
        Assert.Contains(call.Transcript, l => l.Text == $"bridged to {DispatchApp.AlmaHumanLine} with caller ID {DispatchApp.AlmaHotline}; completed");
        Assert.Null(call.CodeHeard());
    }

    [Fact]
    public async Task A_wrong_key_is_met_with_the_menu_once_then_with_a_person()
    {
        var call = App.Call();
        await call.PlayAsync("-99");
        Assert.Single(call.Transcript, l => l.Text.StartsWith("Je n'ai pas compris"));
        Assert.Equal(2, call.Transcript.Count(l => l.Text.Contains("Où êtes-vous")));
        Assert.Contains(call.Transcript, l => l.Text.StartsWith($"bridged to {DispatchApp.AlmaHumanLine}"));
    }

    [Fact]
    public async Task Silence_at_the_pickup_menu_repeats_it_once_then_bridges_to_a_person()
    {
        var call = App.Call();
        await call.PlayAsync("---");
        Assert.Equal(2, call.Transcript.Count(l => l.Text.Contains("Où êtes-vous")));
        Assert.Contains(call.Transcript, l => l.Text.StartsWith($"bridged to {DispatchApp.AlmaHumanLine}"));
    }

    [Fact]
    public async Task A_human_line_that_does_not_answer_is_tried_again_then_the_caller_hears_what_to_do()
    {
        var call = App.Call();
        call.DialOutcome = CallStatus.NoAnswer;
        await call.PlayAsync("30");
        Assert.Equal(2, call.Transcript.Count(l => l.Text.StartsWith("bridged to")));
        Assert.Contains(call.Transcript, l => l.Text.StartsWith("Nobody has answered yet"));
        Assert.Contains(call.Transcript, l => l.Text.Contains("call 1 1 2"));
        Assert.True(call.Ended);
    }

    [Fact]
    public async Task A_call_to_a_number_no_campus_has_reaches_the_fallback_line_in_three_languages()
    {
        var call = App.Call(to: "+3225559999");
        await call.StartAsync();
        Assert.Equal(["fr-BE", "nl-BE", "en-GB"], call.Transcript.Where(l => l.Who == "alice").Select(l => l.Language));
        Assert.Contains(call.Transcript, l => l.Text.StartsWith($"bridged to {DispatchApp.AlmaHumanLine} with caller ID +3225559999"));
    }
}

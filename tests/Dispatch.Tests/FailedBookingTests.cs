using Alice.Dispatch.Rides;
using Alice.Dispatch.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Alice.Dispatch.Tests;

/// <summary>
/// A booking that fails after the limits let it through (here: every code held by an active ride) ends with a
/// person on either channel, is logged by its failure's type alone, and counts for neither limit: the same
/// number booking again once a code is free is not told it booked too often.
/// </summary>
public class FailedBookingTests
{
    [Theory]
    [InlineData("voice")]
    [InlineData("text")]
    public async Task A_booking_that_fails_gets_a_person_logs_only_its_type_and_counts_for_neither_limit(string channel)
    {
        await using var setup = await TextConversationTests.Setup.StartAsync(new() { ["Abuse:CallerBookingsPerHour"] = "1" });
        var app = setup.App;
        var written = await CodeSpaceTests.FillEveryCodeAsync(app);
        var sender = TextConversationTests.NewSender();

        if (channel == "voice")
        {
            var bridged = await (await app.PostWebhook("/twilio/pickup?lang=en&try=1", DispatchApp.TwilioForm(NewCallSid(), from: sender, digits: "1"))).Content.ReadAsStringAsync();
            Assert.Contains($"<Number>{DispatchApp.AlmaHumanLine}</Number>", bridged);
            Assert.Contains(Telephony.Prompts.Connecting.In("en"), bridged);
        }
        else
        {
            await setup.TextAsync(sender, "hello");
            Assert.Equal("A person will arrange your taxi and answer you here, in writing.", await setup.TextAsync(sender, "1"));
            Assert.Equal(1, await app.ScalarAsync("SELECT COUNT(*) FROM alerts WHERE kind = 'written';"));
        }
        Assert.Contains("BookingCodesExhaustedException", app.Logs.AllText);
        Assert.DoesNotContain(sender[3..], app.Logs.AllText);

        // A code is freed (a hand-over); the same number calls again, a limit of one ride an hour: the failure did not count.
        Assert.True(await app.Services.GetRequiredService<Booking.RideTransitions>().HandOverAsync(written[7], RideEvent.LastPartnerGaveUp, "the last partner gave up", CancellationToken.None));
        var booked = await (await app.PostWebhook("/twilio/pickup?lang=en&try=1", DispatchApp.TwilioForm(NewCallSid(), from: sender, digits: "1"))).Content.ReadAsStringAsync();
        Assert.Contains($"Your code is: {Telephony.Prompts.Digits(written[7].BookingCode)}", booked);
    }

    private static string NewCallSid() => "CA" + Guid.NewGuid().ToString("N");
}

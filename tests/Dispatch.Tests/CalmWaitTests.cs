using System.Net;
using System.Text;
using System.Xml.Linq;
using Alice.Dispatch.Booking;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Telephony;
using Alice.Dispatch.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Alice.Dispatch.Tests;

/// <summary>
/// The caller's wait after the code, as heard over two minutes when no partner ever answers: after the first
/// sentence at most one every 15 seconds, the line kept alive between them, and a person at the hand-over
/// deadline. The wait runs on a fake clock, advanced by what each round makes the caller hear (speech at
/// <see cref="SpeechBudgetTests"/>' rate, the length of each pause or sound played); the booking job's
/// hand-over, which runs on the real clock, is made when the fake clock reaches the deadline. And a partner that
/// answers during the wait is still heard at once: the rounds stay short.
/// </summary>
public class CalmWaitTests(ITestOutputHelper output)
{
    private static readonly TimeSpan HandOverAfter = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan MinimumBetweenSentences = TimeSpan.FromSeconds(15);
    /// <summary>The longest a round may take (a sentence and the tone): a person taking over is heard at the next look.</summary>
    private static readonly TimeSpan LongestRound = TimeSpan.FromSeconds(10);
    /// <summary>The longest the line may be quiet: a caller in shock must not think it dead.</summary>
    private static readonly TimeSpan LongestQuiet = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData("fr")]
    [InlineData("nl")]
    [InlineData("en")]
    public async Task A_caller_held_two_minutes_by_a_partner_that_never_answers_hears_a_sentence_at_most_every_fifteen_seconds_then_a_person_at_the_deadline(string lang)
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        partner.Faults.Set(new() { DownUntil = DateTimeOffset.UtcNow.AddMinutes(10) });
        await using var app = new DispatchApp(partner, settings: new() { ["Partners:HandOverAfterSeconds"] = $"{HandOverAfter.TotalSeconds}" });
        var handedOver = false;

        var (heard, lastRound, waitBegan) = await HoldAsync(app, lang, async (ride, at) =>
        {
            if (handedOver || at < HandOverAfter) return;
            // The booking job's hand-over, on the fake clock's deadline.
            Assert.True(await app.Services.GetRequiredService<RideTransitions>().HandOverAsync((await app.Ride(ride.Id))!, RideEvent.NoPartnerConfirmed, "no partner confirmed in time", default));
            handedOver = true;
        });

        var sentences = heard.Select((h, i) => (h.At, h.What, HandOver: i >= lastRound)).Where(h => h.What is not (ToneHeard or SilenceHeard)).ToList();
        output.WriteLine(Figures.Write($"A call held two minutes by a partner that never answers ({lang})", ["second since the booking", "what the caller heard"],
            sentences.Select(s => (At: s.At, What: s.What))
                .Append((At: TimeSpan.Zero, What: "(the code, where the taxi will go, the offers to repeat it and to text the car)"))
                .Append((At: HandOverAfter, What: "(the hand-over deadline: the ride is handed to a person)"))
                .OrderBy(r => r.At).Select(r => (IReadOnlyList<object>)[$"{r.At.TotalSeconds:F1}", r.What])));
        // The first sentence as soon as the code message ends; after it, at most one every 15 seconds while the
        // caller waits (the hand-over is announced when it happens).
        Assert.True(sentences[0].At - waitBegan < TimeSpan.FromSeconds(1), $"the wait began with silence: {sentences[0]}");
        var waiting = sentences.Where(s => !s.HandOver).ToList();
        foreach (var (before, after) in waiting.Zip(waiting.Skip(1)))
            Assert.True(after.At - before.At >= MinimumBetweenSentences, $"\"{after.What}\" only {(after.At - before.At).TotalSeconds:F1} s after \"{before.What}\"");
        AssertNeverQuiet(heard);
        // A person at the deadline, as before: the caller hears it within one round of it (the deadline counted from the ride's making).
        Assert.InRange(heard[lastRound].At, HandOverAfter, HandOverAfter + LongestRound);
        Assert.StartsWith("(bridged", heard[^1].What);
    }

    [Fact]
    public async Task A_partner_that_answers_in_the_middle_of_the_wait_is_announced_within_one_round()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        partner.Faults.Set(new() { DownUntil = DateTimeOffset.UtcNow.AddMinutes(10) });
        await using var app = new DispatchApp(partner, settings: new() { ["Partners:HandOverAfterSeconds"] = $"{HandOverAfter.TotalSeconds}" });
        var partnerUpAt = TimeSpan.FromSeconds(50);
        TimeSpan? bookedAt = null;

        var (heard, lastRound, _) = await HoldAsync(app, "en", async (ride, at) =>
        {
            if (bookedAt is not null || at < partnerUpAt) return;
            // The partner comes back between two rounds; the booking job (on the real clock) books with it.
            partner.Faults.Set(new());
            await app.RideWhen(ride.Id, r => r.Status == RideStatus.Booked, within: TimeSpan.FromSeconds(20));
            bookedAt = at;
        });

        output.WriteLine(string.Join("\n", heard.Select(h => $"{h.At.TotalSeconds,6:F1}  {h.What}")));
        Assert.NotNull(bookedAt);
        Assert.Equal("Your taxi is confirmed.", heard[lastRound].What);
        Assert.InRange(heard[lastRound].At, bookedAt.Value, bookedAt.Value + LongestRound);
        Assert.DoesNotContain(heard, h => h.What.StartsWith("(bridged", StringComparison.Ordinal));
        AssertNeverQuiet(heard);
    }

    /// <summary>
    /// Books a ride as a caller in this language, then holds the call on the wait, round after round, on a fake
    /// clock from the ride's making, until Alice confirms or bridges. Before each round <paramref name="between"/>
    /// runs with the time since the booking. Returns what was heard after the code, where the last round's
    /// answer begins, and when the wait began.
    /// </summary>
    private static async Task<(List<Heard> Heard, int LastRound, TimeSpan WaitBegan)> HoldAsync(DispatchApp app, string lang, Func<Ride, TimeSpan, Task> between)
    {
        var callSid = "CA" + Guid.NewGuid().ToString("N");
        var form = DispatchApp.TwilioForm(callSid, digits: "1");
        var code = await (await app.PostWebhook($"/twilio/pickup?lang={lang}&try=1", form)).Content.ReadAsStringAsync();
        var ride = (await app.Services.GetRequiredService<BookingDesk>().FindForCallAsync(callSid, default))!;
        // The clock starts when the ride was written (its deadline less the hand-over time) and runs through the code.
        var origin = ride.HandOverAt - HandOverAfter;
        var clock = new FakeTimeProvider(origin);
        var menu = ActivatorUtilities.CreateInstance<VoiceMenu>(app.Services, (TimeProvider)clock);
        var heard = new List<Heard>();
        var query = await HearAsync(app, XDocument.Parse(code), clock, heard, origin);
        heard.Clear(); // the code message itself is the menu's, measured by SpeechBudgetTests
        var waitBegan = clock.GetUtcNow() - origin;
        var lastRound = 0;
        for (var rounds = 0; query is not null; rounds++)
        {
            Assert.True(rounds < 200, "the wait went on for 200 rounds without an end");
            await between(ride, clock.GetUtcNow() - origin);
            var reply = await menu.Wait(new TwilioCall(new FormCollection(Fields(form)), new QueryCollection(QueryHelpers.ParseQuery(query))), default);
            var twiml = XDocument.Parse(Assert.IsType<ContentHttpResult>(reply.Result).ResponseContent!);
            lastRound = heard.Count;
            query = await HearAsync(app, twiml, clock, heard, origin);
        }
        return (heard, lastRound, waitBegan);
    }

    /// <summary>Between sentences the line is alive: a sentence or the hold tone is heard every few seconds.</summary>
    private static void AssertNeverQuiet(List<Heard> heard)
    {
        var audible = heard.Where(h => h.What != SilenceHeard).ToList();
        foreach (var (before, after) in audible.Zip(audible.Skip(1)))
            Assert.True(after.At - before.Until <= LongestQuiet, $"{(after.At - before.Until).TotalSeconds:F1} s with nothing heard after \"{before.What}\"");
    }

    [Fact]
    public async Task The_hold_tone_is_fetched_unsigned_and_is_the_same_sound_for_every_caller()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner);
        using var client = app.CreateClient();

        var first = await client.GetAsync("/twilio/hold-tone.wav");
        var second = await client.GetAsync("/twilio/hold-tone.wav");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("audio/wav", first.Content.Headers.ContentType?.MediaType);
        Assert.False(first.Headers.Contains("Set-Cookie"));
        var wav = await first.Content.ReadAsByteArrayAsync();
        Assert.Equal(wav, await second.Content.ReadAsByteArrayAsync());
        Assert.Equal("RIFF", Encoding.ASCII.GetString(wav, 0, 4));
        Assert.Equal(TimeSpan.FromSeconds(4), await PlayLengthAsync(app, DispatchApp.PublicBaseUrl + "/twilio/hold-tone.wav"));
    }

    /// <summary>
    /// Plays one TwiML answer on the fake clock: each sentence heard at the clock's time, then the clock moved
    /// on by its spoken length; each pause or sound by its length. Returns the next round's query, or null once bridged.
    /// </summary>
    private static async Task<string?> HearAsync(DispatchApp app, XDocument twiml, FakeTimeProvider clock, List<Heard> heard, DateTimeOffset origin)
    {
        foreach (var verb in twiml.Root!.Elements().SelectMany(v => v.Name.LocalName == "Gather" ? v.Elements() : [v]))
        {
            var at = clock.GetUtcNow() - origin;
            switch (verb.Name.LocalName)
            {
                case "Say":
                    var spoken = TimeSpan.FromSeconds(SpeechBudgetTests.Seconds(verb.Value));
                    heard.Add(new(at, at + spoken, verb.Value));
                    clock.Advance(spoken);
                    break;
                case "Pause":
                    heard.Add(new(at, at, SilenceHeard));
                    clock.Advance(TimeSpan.FromSeconds((int?)verb.Attribute("length") ?? 1));
                    break;
                case "Play":
                    // Its note is at its start, and quiet follows: heard at once, then nothing until the next.
                    heard.Add(new(at, at, ToneHeard));
                    clock.Advance(await PlayLengthAsync(app, verb.Value) * ((int?)verb.Attribute("loop") ?? 1));
                    break;
                case "Redirect":
                    return new Uri(verb.Value).Query;
                case "Dial":
                    heard.Add(new(at, at, $"(bridged to {verb.Element("Number")?.Value})"));
                    return null;
            }
        }
        return null;
    }

    /// <summary>The length of a sound Twilio would fetch and play: fetched the same way, unsigned, and its WAV header read.</summary>
    private static async Task<TimeSpan> PlayLengthAsync(DispatchApp app, string url)
    {
        using var client = app.CreateClient();
        var wav = await client.GetByteArrayAsync(new Uri(url).PathAndQuery);
        var byteRate = BitConverter.ToInt32(wav, 28);
        var dataLength = BitConverter.ToInt32(wav, 40);
        return TimeSpan.FromSeconds((double)dataLength / byteRate);
    }

    /// <summary>Something the caller heard, from and until when (counted from the ride's making).</summary>
    private sealed record Heard(TimeSpan At, TimeSpan Until, string What);

    private const string ToneHeard = "(hold tone)";
    private const string SilenceHeard = "(silence)";

    private static Dictionary<string, StringValues> Fields(List<KeyValuePair<string, string>> form) =>
        form.Where(f => f.Key != "Digits").ToDictionary(f => f.Key, f => new StringValues(f.Value));
}

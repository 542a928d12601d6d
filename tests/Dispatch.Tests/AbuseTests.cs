using System.Net;
using System.Security.Cryptography;
using System.Text;
using Alice.Dispatch.Abuse;
using Alice.Dispatch.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Alice.Dispatch.Tests;

/// <summary>
/// The hotline's limits against pranks and autodialers: per number (under an hourly key held in memory
/// only) and per campus. A caller over a limit is put through to a person with words that say why.
/// </summary>
public class AbuseTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 22, 0, 1, TimeSpan.Zero);

    [Fact]
    public void The_caller_key_changes_on_the_hour_and_only_then()
    {
        var clock = new FakeTimeProvider(T0);
        var key = new CallerKey(clock, RandomNumberGenerator.Create());
        var first = key.Of("+32470123456");

        clock.Advance(TimeSpan.FromMinutes(59) + TimeSpan.FromSeconds(58)); // 22:59:59
        Assert.Equal(first, key.Of("+32470123456"));
        Assert.NotEqual(first, key.Of("+32470123457"));
        var hour = key.Hour;

        clock.Advance(TimeSpan.FromSeconds(1)); // 23:00:00
        Assert.NotEqual(first, key.Of("+32470123456"));
        Assert.Equal(hour + 1, key.Hour);
        // Two instances, or a restart, draw keys of their own: nothing ties one hour's counts to a number.
        Assert.NotEqual(key.Of("+32470123456"), new CallerKey(clock, RandomNumberGenerator.Create()).Of("+32470123456"));
    }

    [Fact]
    public async Task A_number_that_booked_its_rides_for_the_hour_gets_a_person_who_is_told_why_and_its_retries_still_find_their_rides()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner);
        const string from = "+32470654321";

        var calls = Enumerable.Range(0, 3).Select(_ => "CA" + Guid.NewGuid().ToString("N")).ToList();
        foreach (var callSid in calls) Assert.Contains("Votre code est", await PickupAsync(app, callSid, from));
        var fourth = await PickupAsync(app, "CA" + Guid.NewGuid().ToString("N"), from);

        Assert.Contains("a déjà demandé plusieurs taxis dans l'heure", fourth);
        Assert.Contains($"<Number>{DispatchApp.AlmaHumanLine}</Number>", fourth);
        Assert.Equal(3, (await app.RidesInDatabase()).Count);
        // Twilio retrying one of the three finds its ride; another number and a withheld one book as usual.
        Assert.Contains("Votre code est", await PickupAsync(app, calls[0], from));
        Assert.Contains("Votre code est", await PickupAsync(app, "CA" + Guid.NewGuid().ToString("N"), "+32470654322"));
        foreach (var _ in Enumerable.Range(0, 4))
            Assert.Contains("Votre code est", await PickupAsync(app, "CA" + Guid.NewGuid().ToString("N"), "Anonymous"));
        Assert.Equal(8, (await app.RidesInDatabase()).Count);
    }

    [Fact]
    public async Task Above_the_campus_threshold_new_callers_get_a_person_and_the_on_call_phone_is_told_once()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var twilio = await TwilioSimulatorHost.StartAsync();
        await using var app = new DispatchApp(partner, settings: new(twilio.Settings) { ["Abuse:CampusBookingsPerWindow"] = "5" });

        var answers = new List<string>();
        foreach (var _ in Enumerable.Range(0, 8)) answers.Add(await PickupAsync(app, "CA" + Guid.NewGuid().ToString("N"), CampusNumbers.NewCaller()));

        Assert.All(answers.Take(5), a => Assert.Contains("Votre code est", a));
        Assert.All(answers.Skip(5), a =>
        {
            Assert.Contains("une personne qui va organiser votre taxi", a);
            Assert.Contains($"<Number>{DispatchApp.AlmaHumanLine}</Number>", a);
        });
        var sent = await twilio.SentWhen(s => s.Any(m => m.Text.Contains("au-delà du seuil")));
        var alarm = Assert.Single(sent, m => m.Kind == "message" && m.Text.Contains("au-delà du seuil"));
        Assert.Equal(CampusNumbers.OnCall, alarm.To);
        Assert.Contains("above its threshold", app.Logs.AllText);
    }

    [Fact]
    public async Task The_limits_count_again_from_the_next_hour_and_the_campus_window()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner);
        var clock = new FakeTimeProvider(T0);
        var limits = new BookingLimits(new CallerKey(clock, RandomNumberGenerator.Create()), app.Services.GetRequiredService<FloodAlarm>(),
            Options.Create(new AbuseOptions { CallerBookingsPerHour = 2, CampusBookingsPerWindow = 5, CampusWindowMinutes = 10 }), clock);

        Assert.Equal([Verdict.Book, Verdict.Book, Verdict.CallerLimit], Admit(limits, "+32470111111", 3));
        clock.Advance(TimeSpan.FromMinutes(59) + TimeSpan.FromSeconds(59)); // the next hour, and past the campus window
        Assert.Equal([Verdict.Book, Verdict.Book, Verdict.CallerLimit], Admit(limits, "+32470111111", 3));
        Assert.Equal([Verdict.Book, Verdict.Book, Verdict.Book, Verdict.CampusBusy], Admit(limits, null, 4));
        clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        Assert.Equal([Verdict.Book], Admit(limits, null, 1));
    }

    [Fact]
    public async Task A_call_let_through_that_booked_nothing_counts_for_neither_limit()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner);
        var clock = new FakeTimeProvider(T0);
        var limits = new BookingLimits(new CallerKey(clock, RandomNumberGenerator.Create()), app.Services.GetRequiredService<FloodAlarm>(),
            Options.Create(new AbuseOptions { CallerBookingsPerHour = 1, CampusBookingsPerWindow = 5 }), clock);

        // An outage: every attempt of this caller's is put through to a person, and they try again.
        foreach (var _ in Enumerable.Range(0, 6))
        {
            var callSid = "CA" + Guid.NewGuid().ToString("N");
            Assert.Equal(Verdict.Book, limits.Admit("alma", "+32470222222", callSid));
            limits.Release("alma", "+32470222222", callSid);
        }
        Assert.Equal([Verdict.Book, Verdict.CallerLimit], Admit(limits, "+32470222222", 2));
        Assert.Equal([Verdict.Book, Verdict.Book, Verdict.Book, Verdict.Book, Verdict.CampusBusy], Admit(limits, null, 5));
    }

    [Fact]
    public async Task The_caller_key_and_the_numbers_it_counted_are_nowhere_at_rest_nor_in_the_logs()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        // The service's caller key, built here from randomness the test sees: every key it is ever given.
        var randomness = new Seen();
        await using var app = new DispatchApp(partner) { Replacing = services => services.AddSingleton(new CallerKey(TimeProvider.System, randomness)) };
        const string from = "+32470765432";
        foreach (var _ in Enumerable.Range(0, 4)) await PickupAsync(app, "CA" + Guid.NewGuid().ToString("N"), from);
        var key = app.Services.GetRequiredService<CallerKey>();
        Assert.NotEmpty(randomness.Given);
        var secret = randomness.Given[^1];
        var counted = Convert.FromBase64String(key.Of(from));
        await app.StopAsync(); // whatever the service would write on its way out is written too

        var forms = new Dictionary<string, byte[]>
        {
            ["the key"] = secret, ["the key in hex"] = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(secret)),
            ["the key in HEX"] = Encoding.ASCII.GetBytes(Convert.ToHexString(secret)), ["the key in base64"] = Encoding.ASCII.GetBytes(Convert.ToBase64String(secret)),
            ["the number's HMAC"] = counted, ["the number's HMAC in base64"] = Encoding.ASCII.GetBytes(Convert.ToBase64String(counted)),
            ["the number's HMAC in hex"] = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(counted)),
        };
        var atRest = await AtRest.ReadAsync(app);
        atRest.AddRange(Directory.EnumerateFiles(app.Folder, "*", SearchOption.AllDirectories).Select(f => (f, File.ReadAllBytes(f))));
        atRest.Add(("logs", Encoding.UTF8.GetBytes(app.Logs.AllText)));
        Assert.NotEmpty(atRest);
        foreach (var (what, bytes) in forms)
        {
            var where = atRest.FirstOrDefault(f => AtRest.Contains(f.Bytes, bytes)).Name;
            Assert.True(where is null, $"{what} is in {where}");
        }
        Assert.Null(AtRest.WhereIs(atRest, from));
    }

    private static List<Verdict> Admit(BookingLimits limits, string? from, int calls) =>
        Enumerable.Range(0, calls).Select(_ => limits.Admit("alma", from, "CA" + Guid.NewGuid().ToString("N"))).ToList();

    private static async Task<string> PickupAsync(DispatchApp app, string callSid, string from)
    {
        var response = await app.PostWebhook("/twilio/pickup?lang=fr&try=1", DispatchApp.TwilioForm(callSid, from, digits: "1"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The system's randomness, keeping a copy of what it gives.</summary>
    private sealed class Seen : RandomNumberGenerator
    {
        private readonly RandomNumberGenerator _system = Create();
        public List<byte[]> Given { get; } = [];

        public override void GetBytes(byte[] data) => GetBytes(data.AsSpan());

        public override void GetBytes(Span<byte> data)
        {
            _system.GetBytes(data);
            lock (Given) Given.Add(data.ToArray());
        }
    }
}

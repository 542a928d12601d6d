using System.Text.RegularExpressions;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Tests.Support;
using MimeKit;

namespace Alice.Dispatch.Tests;

/// <summary>
/// The operator is woken by e-mail, through an SMTP server of their own (here a real listener on loopback), once
/// per outage rather than once per ride: one message when a condition starts, one when it has cleared.
/// </summary>
public class OperatorAlertTests
{
    /// <summary>Each check a second, a condition over once nobody has seen it for three seconds.</summary>
    private static Dictionary<string, string?> Quick(SmtpSink smtp, Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>(smtp.Settings)
        {
            ["Operator:WatchEverySeconds"] = "1",
            ["Operator:ResolvedAfterSeconds"] = "3",
            ["Partners:AttemptTimeoutSeconds"] = "1",
            // A partner is failing once it failed again within an interval of the failure log after its first failure.
            ["Partners:FailureSummarySeconds"] = "3",
            // No hand-over while the test looks: the partner's condition alone.
            ["Partners:BudgetPerPartnerSeconds"] = "120",
            ["Partners:HandOverAfterSeconds"] = "120",
        };
        foreach (var (key, value) in more ?? []) settings[key] = value;
        return settings;
    }

    private static string? Condition(MimeMessage m) => m.Headers["X-Alice-Condition"];
    private static string? State(MimeMessage m) => m.Headers["X-Alice-State"];

    private static Task<List<MimeMessage>> MailsAbout(SmtpSink smtp, string condition, string state, int atLeast, TimeSpan? within = null) =>
        Eventually.Value(() => Task.FromResult(smtp.Received.Where(m => Condition(m) == condition && State(m) == state).ToList()),
            mails => mails.Count >= atLeast, $"{atLeast} '{state}' e-mail(s) about {condition} reached the operator's SMTP server", within);

    [Fact]
    public async Task A_partner_outage_with_several_rides_sends_the_operator_one_alert_and_one_resolved_not_one_per_ride()
    {
        await using var smtp = new SmtpSink();
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner, settings: Quick(smtp));
        app.CreateClient().Dispose();
        var condition = $"partner-failing:{partner.Name}";

        partner.Faults.Set(new() { DownUntil = DateTimeOffset.UtcNow.AddMinutes(5) });
        var rides = new List<string>();
        for (var i = 0; i < 3; i++) rides.Add(await app.BookRide((i % 3 + 1).ToString()));
        await MailsAbout(smtp, condition, "raised", 1);

        // The outage goes on, with more rides, for several checks after the alert went.
        for (var i = 0; i < 3; i++) rides.Add(await app.BookRide((i % 3 + 1).ToString()));
        var counted = Tallies(app, partner);
        await Eventually.True(() => Tallies(app, partner) >= counted + 2, "the partner kept failing for two more intervals, counted by the failure log");

        partner.Faults.Set(new());
        foreach (var ride in rides) await app.RideWhen(ride, r => r.Status == RideStatus.Booked || r.Status == RideStatus.Accepted, within: TimeSpan.FromSeconds(40));
        await MailsAbout(smtp, condition, "resolved", 1);

        var about = smtp.Received.Where(m => Condition(m) == condition).ToList();
        Assert.Single(about, m => State(m) == "raised");
        Assert.Single(about, m => State(m) == "resolved");
        Assert.Contains(partner.Name, about[0].Subject);
        Assert.Contains("operator@alice.example.test", about[0].To.ToString());

        // Nothing in any of them names a caller or a ride: no number, no CallSid, no ride id, no booking code.
        var codes = (await app.RidesInDatabase()).Select(r => r.BookingCode).ToList();
        foreach (var mail in smtp.Received)
        {
            var text = Raw(mail);
            Assert.DoesNotMatch(@"\+\d{6,}", text);
            Assert.DoesNotMatch(@"CA[0-9a-fA-F]{32}", text);
            Assert.All(rides, id => Assert.DoesNotContain(id, text));
            Assert.All(codes, code => Assert.DoesNotMatch($@"(?<!\d){code}(?!\d)", text));
        }
    }

    [Fact]
    public async Task Two_instances_on_one_database_that_both_see_a_partner_down_send_the_operator_one_email()
    {
        // A slow server: each instance checks again, the row still unsent, while the other's e-mail is under way.
        await using var smtp = new SmtpSink { Slowness = TimeSpan.FromSeconds(2.5) };
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var first = new DispatchApp(partner, settings: Quick(smtp));
        first.CreateClient().Dispose();
        await using var second = first.OnTheSameDatabase([partner], "Production", Quick(smtp));
        second.CreateClient().Dispose();
        var condition = $"partner-failing:{partner.Name}";

        partner.Faults.Set(new() { DownUntil = DateTimeOffset.UtcNow.AddMinutes(5) });
        foreach (var instance in new[] { first, second, first, second }) await instance.BookRide();
        await MailsAbout(smtp, condition, "raised", 1);
        // Both instances go on seeing it, each writing it down, for several of their checks.
        var (one, two) = (Tallies(first, partner), Tallies(second, partner));
        await Eventually.True(() => Tallies(first, partner) >= one + 2 && Tallies(second, partner) >= two + 2,
            "both instances kept counting the partner's failures for two more intervals");

        Assert.Single(smtp.Received, m => Condition(m) == condition);
        Assert.Equal(1L, await first.ScalarAsync("SELECT COUNT(*) FROM operator_alerts WHERE condition_key = @condition;", new { condition }));
    }

    [Fact]
    public async Task An_alert_raised_while_the_SMTP_server_is_down_arrives_once_it_is_back()
    {
        await using var smtp = new SmtpSink { Down = true };
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner, settings: Quick(smtp));
        app.CreateClient().Dispose();
        var condition = $"partner-failing:{partner.Name}";

        partner.Faults.Set(new() { DownUntil = DateTimeOffset.UtcNow.AddMinutes(5) });
        await app.BookRide();
        await Eventually.True(() => smtp.Refused >= 2, "the service tried the SMTP server twice while it was down");
        Assert.Empty(smtp.Received);
        smtp.Down = false;

        await MailsAbout(smtp, condition, "raised", 1);
        var failed = app.Logs.Entries.Where(e => e.Contains("Could not e-mail the operator")).ToList();
        Assert.NotEmpty(failed);
        // The server's reply (it can name addresses) stays out of the log: its status code only.
        Assert.All(failed, e => Assert.DoesNotContain("sink.test", e));
        Assert.All(failed, e => Assert.DoesNotContain("Service not available", e));
        Assert.Single(smtp.Received, m => Condition(m) == condition);
    }

    [Fact]
    public async Task With_Twilio_down_too_the_operator_hears_by_email_of_the_hand_over_the_unreached_on_call_phone_and_Twilio()
    {
        await using var smtp = new SmtpSink();
        await using var twilio = await TwilioSimulatorHost.StartAsync();
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner, settings: Quick(smtp, new(twilio.Settings)
        {
            ["Partners:BudgetPerPartnerSeconds"] = "2",
            ["Partners:HandOverAfterSeconds"] = "2",
            ["Centre:WatchEverySeconds"] = "1",
        }));
        app.CreateClient().Dispose();
        partner.Faults.Set(new() { DownUntil = DateTimeOffset.UtcNow.AddMinutes(5) });
        twilio.Outbox.SetFaults(new(DownUntil: DateTimeOffset.UtcNow.AddMinutes(5)));

        await app.RideWhen(await app.BookRide(), r => r.Status == RideStatus.NeedsPerson, within: TimeSpan.FromSeconds(30));

        await MailsAbout(smtp, "rides-handed-over", "raised", 1);
        await MailsAbout(smtp, "twilio-rest-failing", "raised", 1, TimeSpan.FromSeconds(60));
        await MailsAbout(smtp, "on-call-unreachable", "raised", 1, TimeSpan.FromSeconds(60));
        Assert.Empty(twilio.Outbox.All);
        Assert.All(new[] { "rides-handed-over", "twilio-rest-failing", "on-call-unreachable" },
            condition => Assert.Single(smtp.Received, m => Condition(m) == condition));
    }

    [Theory]
    [InlineData("Operator:Smtp:Host", "Operator:Smtp:From, Operator:Smtp:To missing")]
    [InlineData("Operator:Smtp:To", "Operator:Smtp:Host, Operator:Smtp:From missing")]
    [InlineData("Operator:Smtp:UserName", "Operator:Smtp:UserName and Operator:Smtp:Password go together")]
    public async Task Half_an_SMTP_configuration_is_refused_at_start_naming_what_is_missing(string given, string message)
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner, settings: new() { [given] = given.EndsWith("To") ? "operator@alice.example.test" : "x" });
        var failure = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var host = app.BuildHost();
            await host.StartAsync();
        });
        var failures = (failure is AggregateException all ? all.InnerExceptions : [failure]).OfType<Microsoft.Extensions.Options.OptionsValidationException>()
            .SelectMany(o => o.Failures).ToList();
        Assert.Contains(failures, f => f.Contains(message));
    }

    [Fact]
    public async Task Plain_SMTP_to_another_machine_is_refused_at_start()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var smtp = new SmtpSink();
        await using var app = new DispatchApp(partner, settings: new(smtp.Settings) { ["Operator:Smtp:Host"] = "smtp.example.org" });
        var failure = await Assert.ThrowsAnyAsync<Microsoft.Extensions.Options.OptionsValidationException>(async () =>
        {
            await using var host = app.BuildHost();
            await host.StartAsync();
        });
        Assert.Contains(failure.Failures, f => f.Contains("Operator:Smtp:UseTls may be false only for a server on this machine"));
    }

    [Fact]
    public async Task Production_without_SMTP_starts_and_warns_once_that_the_operator_is_not_emailed()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner);
        app.CreateClient().Dispose();

        var warning = await Eventually.Value(() => Task.FromResult(app.Logs.Entries.Where(e => e.Contains("Operator:Smtp is not set")).ToList()),
            lines => lines.Count > 0, "the start said the operator is not e-mailed");
        Assert.StartsWith("Warning", Assert.Single(warning));
    }

    private static int Tallies(DispatchApp app, PartnerSimulatorHost partner) =>
        app.Logs.Entries.Count(e => e.Contains($"Partner {partner.Name} still failing"));

    private static string Raw(MimeMessage mail)
    {
        using var stream = new MemoryStream();
        mail.WriteTo(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray()) + mail.TextBody;
    }
}

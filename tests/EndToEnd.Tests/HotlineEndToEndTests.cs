using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Alice.EndToEnd.Tests;

/// <summary>Calls placed against the running service (its own process), booking at the simulator (its own process).</summary>
public partial class HotlineEndToEndTests(RunningService service) : IClassFixture<RunningService>
{
    [GeneratedRegex(@"(?:code est :|code is:|code is:) ([1-9]), ([1-9]), ([1-9]), ([1-9])\.")]
    private static partial Regex CodeLine();

    private static string CodeIn(string transcript)
    {
        var match = CodeLine().Match(transcript);
        Assert.True(match.Success, "no booking code in:\n" + transcript);
        return string.Concat(match.Groups.Values.Skip(1).Select(g => g.Value));
    }

    private async Task<string> PlaceCall(string keys)
    {
        using var http = await new HttpClient().WithPageTokenAsync(service.DispatchUrl);
        var response = await http.PostAsync($"{service.DispatchUrl}/dev/phone/run?keys={Uri.EscapeDataString(keys)}", null);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return text;
    }

    [Fact]
    public async Task A_forged_host_header_does_not_change_where_the_development_phone_posts_its_signed_requests()
    {
        using var http = await new HttpClient().WithPageTokenAsync(service.DispatchUrl);
        var request = new HttpRequestMessage(HttpMethod.Post, $"{service.DispatchUrl}/dev/phone/run?keys=-1");
        request.Headers.Host = "evil.example";
        var response = await http.SendAsync(request);
        var transcript = await response.Content.ReadAsStringAsync();

        // The call went to the service itself: evil.example cannot even be resolved (.example is reserved).
        Assert.True(response.IsSuccessStatusCode, transcript);
        await PartnerLedger.WaitForAsync(service.PartnerUrl, CodeIn(transcript));
    }

    [Theory]
    [InlineData("-1", "Alice [fr-BE, Polly.Isabelle-Neural]: Votre code est")]
    [InlineData("21", "Alice [nl-BE, Polly.Lisa-Neural]: Uw code is")]
    [InlineData("32", "Alice [en-GB, Polly.Amy-Neural]: Your code is")]
    public async Task A_call_in_each_language_books_a_ride_at_the_partner_exactly_once(string keys, string heard)
    {
        var transcript = await PlaceCall(keys);
        Assert.Contains(heard, transcript);
        var booking = await PartnerLedger.WaitForAsync(service.PartnerUrl, CodeIn(transcript));

        Assert.True(Guid.TryParse(booking.IdempotencyKey, out _), "the idempotency key is the ride id");
        Assert.Equal(1, booking.Requests);
        var (bookings, refused) = await PartnerLedger.ReadAsync(service.PartnerUrl);
        Assert.Single(bookings, b => b.IdempotencyKey == booking.IdempotencyKey);
        Assert.Equal(0, refused); // every request the service sent carried a valid signature
    }

    [Fact]
    public async Task Without_an_operator_mail_server_the_mail_libraries_are_never_loaded_not_even_after_a_call()
    {
        // Memory is a goal (under 200 MB resident): a library for e-mails that are never sent costs it for nothing.
        await PartnerLedger.WaitForAsync(service.PartnerUrl, CodeIn(await PlaceCall("-1")));

        var mapped = service.Dispatch.MappedFiles();
        Assert.Contains("Alice.Dispatch.dll", mapped); // the control: loaded assemblies are seen where this looks
        Assert.DoesNotContain("MimeKit.dll", mapped);
        Assert.DoesNotContain("MailKit.dll", mapped);
    }

    [Fact]
    public async Task The_partners_events_carry_the_running_services_ride_to_the_centre()
    {
        var transcript = await PlaceCall("-1");
        var code = CodeIn(transcript);
        var booking = await PartnerLedger.WaitForAsync(service.PartnerUrl, code);

        // accepted, driver_arrived, passenger_on_board, dropped_off arrive signed from the simulator's process.
        await Eventually.True(async () => await service.RideStatusAsync(booking.IdempotencyKey) == "dropped_off",
            $"the ride {booking.IdempotencyKey} is dropped off", TimeSpan.FromSeconds(5));
        Assert.Contains("Votre taxi est confirmé.", transcript);
    }

    [Fact]
    public async Task The_call_script_prints_the_conversation()
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(Repo.Root, "infra", "call"), "-", "3"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["ALICE_URL"] = service.DispatchUrl },
        };
        using var script = Process.Start(start)!;
        var output = await script.StandardOutput.ReadToEndAsync();
        await script.WaitForExitAsync();

        Assert.Equal(0, script.ExitCode);
        Assert.Contains("Caller: presses nothing", output);
        Assert.Contains("Caller: presses 3", output);
        await PartnerLedger.WaitForAsync(service.PartnerUrl, CodeIn(output));
    }

    [Fact]
    public async Task The_running_services_output_never_shows_the_callers_number()
    {
        var booked = await PartnerLedger.WaitForAsync(service.PartnerUrl, CodeIn(await PlaceCall("-2")));
        await PlaceCall("30");
        // The booking job logs the ride id once the partner answered: wait for that line, so the
        // output searched below is the output of the whole flow.
        await Eventually.True(() => service.Dispatch.Output.Contains($"Ride {booked.IdempotencyKey} booked with simulator"),
            $"the service logged \"Ride {booked.IdempotencyKey} booked with simulator\"", TimeSpan.FromSeconds(5));
        // The development phone calls from this made-up number (DevPhoneEndpoints.SimulatedFrom).
        Assert.DoesNotContain("+32470000001", service.Dispatch.Output);
        Assert.DoesNotContain("32470000001", service.Dispatch.Output);
    }
}

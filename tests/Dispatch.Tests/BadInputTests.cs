using System.Net;
using System.Text;
using Alice.Dispatch.Telephony;
using Alice.Dispatch.Tests.Support;
using Alice.Signatures;

namespace Alice.Dispatch.Tests;

/// <summary>Unsigned, forged, replayed, malformed and oversized webhooks: a clear 4xx or a safe TwiML, never a 500, nothing lost.</summary>
public class BadInputTests(Hotline hotline) : IClassFixture<Hotline>
{
    private DispatchApp App => hotline.App;

    private static List<KeyValuePair<string, string>> Choice(string digits = "1") =>
        DispatchApp.TwilioForm("CA" + Guid.NewGuid().ToString("N"), digits: digits);

    [Fact]
    public async Task An_unsigned_webhook_is_refused_and_books_nothing()
    {
        var before = (await App.RidesInDatabase()).Count;
        var request = new HttpRequestMessage(HttpMethod.Post, "/twilio/pickup?lang=fr&try=1") { Content = new FormUrlEncodedContent(Choice()) };
        var response = await App.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Missing X-Twilio-Signature", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, (await App.RidesInDatabase()).Count);
    }

    [Fact]
    public async Task A_webhook_signed_with_another_token_is_refused_and_books_nothing()
    {
        var before = (await App.RidesInDatabase()).Count;
        var form = Choice();
        var forged = DispatchApp.SignatureFor("/twilio/pickup?lang=fr&try=1", form, token: "not-the-auth-token");
        var response = await App.PostWebhook("/twilio/pickup?lang=fr&try=1", form, forged);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("does not match", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, (await App.RidesInDatabase()).Count);
    }

    [Fact]
    public async Task A_signature_copied_to_another_menu_step_is_refused()
    {
        var form = Choice();
        var signedForMenu = DispatchApp.SignatureFor("/twilio/menu?lang=fr&try=1", form);
        var response = await App.PostWebhook("/twilio/pickup?lang=fr&try=1", form, signedForMenu);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_signed_request_with_a_changed_key_press_is_refused()
    {
        var form = Choice("1");
        var signature = DispatchApp.SignatureFor("/twilio/pickup?lang=fr&try=1", form);
        form[^1] = new("Digits", "2");
        var response = await App.PostWebhook("/twilio/pickup?lang=fr&try=1", form, signature);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_replayed_booking_request_gets_the_same_code_and_no_second_ride()
    {
        var form = Choice("3");
        var signature = DispatchApp.SignatureFor("/twilio/pickup?lang=nl&try=1", form);
        var answers = new List<string>();
        for (var i = 0; i < 3; i++)
            answers.Add(await (await App.PostWebhook("/twilio/pickup?lang=nl&try=1", form, signature)).Content.ReadAsStringAsync());
        var ride = Assert.Single(await App.RidesInDatabase(), r => answers[0].Contains(string.Join(", ", r.BookingCode.ToCharArray())));
        // Every answer carries that code (a later one may already say the taxi is confirmed).
        Assert.All(answers, answer => Assert.Contains(string.Join(", ", ride.BookingCode.ToCharArray()), answer));
    }

    [Fact]
    public async Task A_webhook_without_to_gets_a_clear_400()
    {
        var response = await App.PostWebhook("/twilio/voice", DispatchApp.TwilioForm("CA" + Guid.NewGuid().ToString("N"), to: null));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("To (the number dialled) must be an E.164 number", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/twilio/fallback", "+3220000100\u0000")]
    [InlineData("/twilio/voice", "<Number>+3220000100</Number>")]
    [InlineData("/twilio/dial-ended?lang=fr&try=1", "+3220000100\u0000")]
    public async Task A_signed_webhook_whose_dialled_number_is_no_phone_number_gets_a_clear_400_not_a_500(string path, string to)
    {
        // Found by the hostile-traffic suite: the number went into the TwiML as the caller ID, and a control character broke it.
        var response = await App.PostWebhook(path, DispatchApp.TwilioForm("CA" + Guid.NewGuid().ToString("N"), to: to));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("must be an E.164 number", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_webhook_whose_chunked_body_is_broken_gets_a_400_not_a_500()
    {
        // Found by the hostile-traffic suite: Kestrel's BadHttpRequestException, thrown where the body is read, became a 500.
        // Real Kestrel on a port of its own, with a database of its own: the test server does not parse chunks.
        await using var app = new DispatchApp(hotline.Partner);
        await using var host = app.BuildHost();
        var server = new Uri(await InProcessHost.StartAsync(host));
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(server.Host, server.Port);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST /twilio/voice HTTP/1.1\r\nHost: {server.Authority}\r\nConnection: close\r\n" +
            $"Content-Type: application/x-www-form-urlencoded\r\n{TwilioWebhookSigner.Header}: c29tZXRoaW5n\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nCallSid=CA1\r\n0\r\n\r\n"));
        var answer = await new StreamReader(stream).ReadToEndAsync();
        Assert.StartsWith("HTTP/1.1 400", answer);
    }

    [Fact]
    public async Task A_partner_event_with_a_nul_character_gets_a_clear_400_on_either_database()
    {
        // Found by the hostile-traffic suite on PostgreSQL, which refuses a NUL in text: the lookup threw up to a 500.
        var response = await App.PostPartnerEvent("simulator", new { eventId = "e\0", bookingId = "b\0", type = "accepted" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("NUL character", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_enrolment_link_or_login_name_with_a_nul_character_finds_nobody_on_either_database()
    {
        // Found by the hostile-traffic suite on PostgreSQL: the account lookup threw up to a 500.
        using var staff = new Staff(App);
        var enrol = await staff.Client.GetAsync("/account/enrol?id=%00&token=x");
        var login = await staff.LogInAsync("olivia\0");
        Assert.InRange((int)enrol.StatusCode, 200, 499);
        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode); // the login page again, with its message: no such login
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task A_staff_page_reached_over_plain_http_in_production_gets_a_clear_400_not_a_500(string method)
    {
        // Found by the hostile-traffic suite: antiforgery cannot set its secure cookie over http, and threw.
        var client = App.CreateClient(new() { BaseAddress = new Uri("http://localhost"), AllowAutoRedirect = false });
        var request = new HttpRequestMessage(new HttpMethod(method), "/account/login");
        if (method == "POST") request.Content = new FormUrlEncodedContent([new("name", "olivia"), new("password", "a long enough passphrase")]);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("served over HTTPS only", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("12")]
    [InlineData("*")]
    [InlineData("#")]
    [InlineData("a")]
    [InlineData("4")]        // one past the three pickup points
    [InlineData("99999999")]
    public async Task A_bad_key_at_the_pickup_menu_gets_the_menu_again_and_books_nothing(string digits)
    {
        var before = (await App.RidesInDatabase()).Count;
        var response = await App.PostWebhook("/twilio/pickup?lang=fr&try=1", Choice(digits));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Je n'ai pas compris", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, (await App.RidesInDatabase()).Count);
    }

    [Theory]
    [InlineData("lang=xx&try=1")]
    [InlineData("lang=fr&try=abc")]
    [InlineData("try=-5")]
    [InlineData("")]
    public async Task Odd_menu_state_in_a_signed_url_falls_back_to_safe_defaults(string query)
    {
        var response = await App.PostWebhook(query.Length > 0 ? "/twilio/menu?" + query : "/twilio/menu", Choice());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Où êtes-vous", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_oversized_body_is_refused_with_413()
    {
        var form = Choice();
        form.Add(new("Padding", new string('x', 20_000)));
        var response = await App.PostWebhook("/twilio/pickup?lang=fr&try=1", form);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task An_oversized_body_without_a_length_is_refused_with_413()
    {
        var body = $"To={Uri.EscapeDataString(DispatchApp.AlmaHotline)}&Padding=" + new string('x', 40_000);
        var content = new StreamContent(new MemoryStream(Encoding.ASCII.GetBytes(body)));
        content.Headers.ContentType = new("application/x-www-form-urlencoded");
        var request = new HttpRequestMessage(HttpMethod.Post, "/twilio/voice") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Add(TwilioWebhookSigner.Header, "anything");
        var response = await App.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task A_json_body_is_refused_with_415()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/twilio/voice") { Content = new StringContent($"{{\"To\":\"{DispatchApp.AlmaHotline}\"}}", Encoding.UTF8, "application/json") };
        request.Headers.Add(TwilioWebhookSigner.Header, "anything");
        var response = await App.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Theory]
    [InlineData("%%%")]
    [InlineData("To=%ZZ&&&=&Digits")]
    [InlineData("\u0000\u0001binary")]
    public async Task A_garbled_form_gets_a_4xx_never_a_500(string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/twilio/pickup?lang=fr&try=1")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Add(TwilioWebhookSigner.Header, "c29tZXRoaW5n");
        var response = await App.CreateClient().SendAsync(request);
        Assert.InRange((int)response.StatusCode, 400, 499);
    }

    [Fact]
    public async Task A_ride_booked_before_a_barrage_of_bad_input_is_still_there_and_its_code_still_repeats()
    {
        var call = App.Call();
        await call.StartAsync();
        await call.WaitAsync();       // French
        await call.PressAsync('1');   // booked; the caller is still on the line
        var code = call.CodeHeard()!;

        var client = App.CreateClient();
        foreach (var path in new[] { "/twilio/voice", "/twilio/pickup?lang=fr&try=1", "/twilio/code?lang=fr", "/twilio/status" })
        {
            await client.PostAsync(path, new StringContent("CallSid=" + call.CallSid + "&Digits=2", Encoding.UTF8, "application/x-www-form-urlencoded"));
            await App.PostWebhook(path, DispatchApp.TwilioForm(call.CallSid, digits: "2"), "forged");
        }

        Assert.Single(await App.RidesInDatabase(), r => r.BookingCode == code);
        var repeat = await App.PostWebhook("/twilio/code?lang=fr", DispatchApp.TwilioForm(call.CallSid, digits: "1"));
        Assert.Contains(string.Join(", ", code.ToCharArray()), await repeat.Content.ReadAsStringAsync());
    }
}

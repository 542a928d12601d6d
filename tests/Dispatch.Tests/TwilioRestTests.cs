using System.Net;
using Alice.Dispatch.Twilio;
using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Tests;

/// <summary>
/// The account's REST calls go through Twilio's library, whose exceptions quote Twilio's message and the
/// request's URL: what the service throws (and may log) names neither the record's SID nor the number.
/// </summary>
public class TwilioRestTests
{
    private const string CallSid = "CA0123456789abcdef0123456789abcdef";
    private const string Number = "+32470555123";

    private static TwilioRest Rest(HttpMessageHandler handler) => new(new HttpClient(handler), Options.Create(new TwilioOptions
    {
        AccountSid = "AC00000000000000000000000000000000", AuthToken = "token", PublicBaseUrl = "https://alice.example",
    }));

    [Fact]
    public async Task Twilio_unreachable_while_deleting_a_call_record_says_so_without_the_records_sid()
    {
        var e = await Assert.ThrowsAsync<HttpRequestException>(() =>
            Rest(new Answering(_ => throw new HttpRequestException($"Connection refused {CallSid}"))).DeleteRecordAsync(TwilioRecord.Call, CallSid, default));
        Assert.DoesNotContain(CallSid, e.ToString());
    }

    [Fact]
    public async Task A_message_twilio_refuses_keeps_the_status_and_not_twilios_words_about_the_number()
    {
        var e = await Assert.ThrowsAsync<TwilioRestException>(() =>
            Rest(new Answering(_ => Json(HttpStatusCode.BadRequest, $$"""{"code":21211,"message":"The 'To' number {{Number}} is not valid.","status":400}""")))
                .SendSmsAsync(Number, "+3220000100", "Your car", default));
        Assert.True(e.IsRefusedForGood);
        Assert.DoesNotContain(Number, e.ToString());
    }

    [Fact]
    public async Task A_record_twilio_no_longer_has_counts_as_deleted_and_another_failure_is_reported()
    {
        await Rest(new Answering(_ => Json(HttpStatusCode.NotFound, """{"code":20404,"message":"Not found","status":404}""")))
            .DeleteRecordAsync(TwilioRecord.Message, "SM0123456789abcdef0123456789abcdef", default);
        var e = await Assert.ThrowsAsync<TwilioRestException>(() =>
            Rest(new Answering(_ => Json(HttpStatusCode.Conflict, """{"code":20009,"message":"busy","status":409}""")))
                .DeleteRecordAsync(TwilioRecord.Message, "SM0123456789abcdef0123456789abcdef", default));
        Assert.Equal(409, e.Status);
    }

    [Fact]
    public async Task Requests_go_to_twilios_api_with_the_accounts_credentials()
    {
        HttpRequestMessage? seen = null;
        var sid = await Rest(new Answering(r => { seen = r; return Json(HttpStatusCode.Created, """{"sid":"SM1","status":"queued"}"""); }))
            .SendSmsAsync(Number, "+3220000100", "Your car", default);
        Assert.Equal("SM1", sid);
        Assert.Equal("https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000000/Messages.json", seen!.RequestUri!.ToString());
        Assert.Equal("Basic", seen.Headers.Authorization!.Scheme);
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };

    private sealed class Answering(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) => Task.FromResult(answer(request));
    }
}

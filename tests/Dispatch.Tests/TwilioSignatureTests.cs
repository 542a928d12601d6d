using Alice.Dispatch.Telephony;
using Alice.Signatures;

namespace Alice.Dispatch.Tests;

/// <summary>
/// The test vectors of shared/twilio-notes.md (auth token 12345), and what must be refused: Twilio's own
/// RequestValidator (what the service checks with) and the signer that plays Twilio in tests, the benchmark
/// and the development phone, which must agree with it.
/// </summary>
public class TwilioSignatureTests
{
    private const string Token = "12345";
    private const string Url = "https://mycompany.com/myapp.php?foo=1&bar=2";

    private static bool IsValid(string url, IEnumerable<KeyValuePair<string, string>> parameters, string? signature) =>
        TwilioWebhookFilter.IsSigned(Token, url, parameters, signature);

    private static List<KeyValuePair<string, string>> Parameters(string caller = "+14158675309") =>
    [
        new("CallSid", "CA1234567890ABCDE"), new("Caller", caller), new("Digits", "1234"),
        new("From", caller), new("To", "+18005551212"),
    ];

    [Theory]
    [InlineData("https://mycompany.com/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8=")]
    [InlineData("https://mycompany.com:443/myapp.php?foo=1&bar=2", "kvajT1Ptam85bY51eRf/AJRuM3w=")]
    [InlineData("http://mycompany.com:80/myapp.php?foo=1&bar=2", "0ZXoZLH/DfblKGATFgpif+LLRf4=")]
    [InlineData("https://MyCompany.com/myapp.php?foo=1&bar=2", "g9IN/x4Cft2g517EjYvEvM/W7LU=")]
    public void Each_published_vector_signs_to_its_signature(string url, string signature)
    {
        Assert.Equal(signature, TwilioWebhookSigner.Sign(Token, url, Parameters()));
        Assert.True(IsValid(url, Parameters(), signature));
    }

    [Fact]
    public void Another_caller_number_gives_the_published_signature()
    {
        Assert.Equal("0/KCTR6DLpKmkAf8muzZqo1nDgQ=", TwilioWebhookSigner.Sign(Token, Url, Parameters("+12349013030")));
    }

    [Fact]
    public void A_url_without_its_port_accepts_the_signature_made_with_the_default_port()
    {
        Assert.True(IsValid(Url, Parameters(), "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
        Assert.True(IsValid(Url, Parameters(), "kvajT1Ptam85bY51eRf/AJRuM3w="));
    }

    /// <summary>
    /// Twilio's validator tries the URL as given, then the other form: a port written out is dropped, none
    /// written gets the scheme's default. A URL written with its default port (https://…:443) is read as one
    /// without, so that signature alone is accepted for it; Twilio:PublicBaseUrl is written without a port.
    /// </summary>
    [Fact]
    public void A_url_with_its_default_port_written_out_accepts_only_the_signature_made_with_it()
    {
        Assert.True(IsValid("https://mycompany.com:443/myapp.php?foo=1&bar=2", Parameters(), "kvajT1Ptam85bY51eRf/AJRuM3w="));
        Assert.False(IsValid("https://mycompany.com:443/myapp.php?foo=1&bar=2", Parameters(), "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
    }

    /// <summary>
    /// Twilio's validator also drops a port that is not the default: a service on https://…:8443 accepts a
    /// request signed for the same host without a port. Forging one still needs the auth token; it only lets a
    /// request Twilio signed for the account's same host on its default port be replayed to the other port.
    /// </summary>
    [Fact]
    public void A_url_with_another_port_also_accepts_the_signature_made_without_a_port()
    {
        Assert.True(IsValid("https://mycompany.com:8443/myapp.php?foo=1&bar=2", Parameters(), "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
        Assert.False(IsValid("https://mycompany.com:8443/myapp.php?foo=1&bar=2", Parameters(), "kvajT1Ptam85bY51eRf/AJRuM3w="));
    }

    [Fact]
    public void A_tampered_parameter_is_refused()
    {
        var tampered = Parameters();
        tampered[2] = new("Digits", "1235");
        Assert.False(IsValid(Url, tampered, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
    }

    [Fact]
    public void An_added_parameter_is_refused()
    {
        var added = Parameters();
        added.Add(new("Extra", "x"));
        Assert.False(IsValid(Url, added, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
    }

    [Theory]
    [InlineData("https://mycompany.com/myapp.php?foo=1&bar=3")]
    [InlineData("https://mycompany.com/other.php?foo=1&bar=2")]
    [InlineData("https://mycompany.com/myapp.php?bar=2&foo=1")]
    [InlineData("http://mycompany.com/myapp.php?foo=1&bar=2")]
    public void A_tampered_url_is_refused(string url)
    {
        Assert.False(IsValid(url, Parameters(), "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
    }

    [Fact]
    public void A_host_in_another_case_is_refused()
    {
        Assert.False(IsValid("https://MyCompany.com/myapp.php?foo=1&bar=2", Parameters(), "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
    }

    [Fact]
    public void A_signature_made_with_another_token_is_refused()
    {
        var other = TwilioWebhookSigner.Sign("54321", Url, Parameters());
        Assert.False(IsValid(Url, Parameters(), other));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64 at all")]
    public void A_missing_or_garbled_signature_is_refused(string? signature)
    {
        Assert.False(IsValid(Url, Parameters(), signature));
    }

    [Fact]
    public void A_repeated_parameter_is_signed_and_checked_with_its_values_joined_in_the_order_sent()
    {
        List<KeyValuePair<string, string>> form = [new("A", "2"), new("B", "x"), new("A", "1")];
        var signature = TwilioWebhookSigner.Sign(Token, Url, form);
        Assert.Equal(TwilioWebhookSigner.Sign(Token, Url + "A2,1Bx", []), signature);
        Assert.True(IsValid(Url, form, signature));
        Assert.False(IsValid(Url, [new("A", "2"), new("B", "x")], signature));
        Assert.False(IsValid(Url, [new("A", "1"), new("B", "x"), new("A", "2")], signature));
    }

    [Theory]
    [InlineData("https://mycompany.com/myapp.php?foo=1&bar=2#")]
    [InlineData("https://[::1/myapp.php")]
    [InlineData("https:///myapp.php")]
    public void A_url_the_parser_refuses_is_refused_not_thrown(string url)
    {
        Assert.False(IsValid(url, Parameters(), "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
    }
}

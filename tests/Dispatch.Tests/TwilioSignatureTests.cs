using Alice.Dispatch.Telephony;
using Alice.Signatures;

namespace Alice.Dispatch.Tests;

/// <summary>The test vectors of shared/twilio-notes.md (auth token 12345), and what must be refused.</summary>
public class TwilioSignatureTests
{
    private const string Token = "12345";
    private const string Url = "https://mycompany.com/myapp.php?foo=1&bar=2";

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
        Assert.Equal(signature, TwilioSignature.Compute(Token, url, Parameters()));
        Assert.True(TwilioSignature.IsValid(Token, url, Parameters(), signature));
    }

    [Fact]
    public void Another_caller_number_gives_the_published_signature()
    {
        Assert.Equal("0/KCTR6DLpKmkAf8muzZqo1nDgQ=", TwilioSignature.Compute(Token, Url, Parameters("+12349013030")));
    }

    [Fact]
    public void A_url_without_its_port_accepts_the_signature_made_with_the_default_port()
    {
        Assert.True(TwilioSignature.IsValid(Token, Url, Parameters(), "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
        Assert.True(TwilioSignature.IsValid(Token, Url, Parameters(), "kvajT1Ptam85bY51eRf/AJRuM3w="));
    }

    [Fact]
    public void A_url_with_its_default_port_accepts_the_signature_made_without_it()
    {
        Assert.True(TwilioSignature.IsValid(Token, "https://mycompany.com:443/myapp.php?foo=1&bar=2", Parameters(), "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
    }

    [Fact]
    public void A_tampered_parameter_is_refused()
    {
        var tampered = Parameters();
        tampered[2] = new("Digits", "1235");
        Assert.False(TwilioSignature.IsValid(Token, Url, tampered, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
    }

    [Fact]
    public void An_added_parameter_is_refused()
    {
        var added = Parameters();
        added.Add(new("Extra", "x"));
        Assert.False(TwilioSignature.IsValid(Token, Url, added, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
    }

    [Theory]
    [InlineData("https://mycompany.com/myapp.php?foo=1&bar=3")]
    [InlineData("https://mycompany.com/other.php?foo=1&bar=2")]
    [InlineData("https://mycompany.com/myapp.php?bar=2&foo=1")]
    [InlineData("http://mycompany.com/myapp.php?foo=1&bar=2")]
    [InlineData("https://mycompany.com:8443/myapp.php?foo=1&bar=2")]
    public void A_tampered_url_is_refused(string url)
    {
        Assert.False(TwilioSignature.IsValid(Token, url, Parameters(), "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
    }

    [Fact]
    public void A_host_in_another_case_is_refused()
    {
        Assert.False(TwilioSignature.IsValid(Token, "https://MyCompany.com/myapp.php?foo=1&bar=2", Parameters(), "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
    }

    [Fact]
    public void A_signature_made_with_another_token_is_refused()
    {
        var other = TwilioSignature.Compute("54321", Url, Parameters());
        Assert.False(TwilioSignature.IsValid(Token, Url, Parameters(), other));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64 at all")]
    public void A_missing_or_garbled_signature_is_refused(string? signature)
    {
        Assert.False(TwilioSignature.IsValid(Token, Url, Parameters(), signature));
    }

    [Fact]
    public void A_repeated_parameter_is_signed_with_its_values_sorted()
    {
        List<KeyValuePair<string, string>> forward = [new("A", "2"), new("A", "1"), new("B", "x")];
        List<KeyValuePair<string, string>> backward = [new("B", "x"), new("A", "1"), new("A", "2")];
        var expected = TwilioSignature.Compute(Token, Url + "A1A2Bx", []);
        Assert.Equal(expected, TwilioSignature.Compute(Token, Url, forward));
        Assert.Equal(expected, TwilioSignature.Compute(Token, Url, backward));
    }
}

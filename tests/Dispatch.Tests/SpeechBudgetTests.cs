using Alice.Dispatch.Tests.Support;

namespace Alice.Dispatch.Tests;

/// <summary>
/// From answer to the booking code: under 20 seconds of speech and at most two key presses, in each
/// language, on the shipped campus. Speech time is estimated at 15 characters a second, the pace of
/// Twilio's standard voices (about 160 words a minute), with no credit for a caller interrupting.
/// </summary>
public class SpeechBudgetTests(Hotline hotline) : IClassFixture<Hotline>
{
    private const double CharactersPerSecond = 15;

    [Theory]
    [InlineData("-1")]
    [InlineData("21")]
    [InlineData("31")]
    public async Task The_code_is_heard_within_twenty_seconds_of_speech_and_two_key_presses(string keys)
    {
        var call = hotline.App.Call();
        await call.PlayAsync(keys);

        var lines = call.Transcript.ToList();
        var codeAt = lines.FindIndex(l => l.Who == "alice" && l.Text.Contains(", ") && char.IsDigit(l.Text[^2]));
        Assert.True(codeAt > 0, call.Text());
        var before = lines.Take(codeAt + 1).ToList();
        var seconds = before.Where(l => l.Who == "alice").Sum(l => l.Text.Length) / CharactersPerSecond;
        var presses = before.Count(l => l.Who == "caller" && l.Text.StartsWith("presses ") && l.Text != "presses nothing");

        Assert.True(seconds < 20, $"{seconds:F1} s of speech before the code:\n{call.Text()}");
        Assert.True(presses <= 2, $"{presses} key presses before the code");
    }
}

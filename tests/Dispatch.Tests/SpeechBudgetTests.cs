using System.Text.RegularExpressions;
using Alice.Dispatch.Tests.Support;

namespace Alice.Dispatch.Tests;

/// <summary>
/// From answering to the end of the booking code, as a first-time caller hears it (every prompt whole, no
/// key pressed early): under 18 seconds of speech and at most two key presses, in each language, on the
/// shipped campus. The estimate is the model of infra/bench speech's measure (espeak-ng at 160 words a
/// minute; Polly's neural voices speak 150–170): words at 160 a minute, a word being what spaces separate
/// and holding a letter or a digit, plus the pauses a voice makes at punctuation, as espeak-ng makes them
/// (a quarter second at a comma, colon or semicolon, 0.4 s at a sentence's end). Against espeak-ng, on these
/// prompts and on the longer ones before them, it reads long: by up to 2.5 s in French and English, by
/// under 0.5 s in Dutch (longer words). infra/bench speech speaks the prompts and is the measure itself.
/// </summary>
public partial class SpeechBudgetTests(Hotline hotline) : IClassFixture<Hotline>
{
    private const double WordsPerMinute = 160;
    private const double ClausePauseSeconds = 0.25;
    private const double SentencePauseSeconds = 0.4;
    private const double BudgetSeconds = 18;

    [Theory]
    [InlineData("-1")] // French: no key at the language offer
    [InlineData("21")] // Dutch
    [InlineData("31")] // English
    public async Task The_code_is_heard_within_eighteen_seconds_of_speech_and_two_key_presses(string keys)
    {
        var call = hotline.App.Call();
        await call.PlayAsync(keys);

        var lines = call.Transcript.ToList();
        // The code's digits, one by one: not a key offered ("Voor Nederlands, druk 2.").
        var codeAt = lines.FindIndex(l => l.Who == "alice" && SpokenCode().IsMatch(l.Text));
        Assert.True(codeAt > 0, call.Text());
        var before = lines.Take(codeAt + 1).ToList();
        var seconds = before.Where(l => l.Who == "alice").Sum(l => Seconds(l.Text));
        var presses = before.Count(l => l.Who == "caller" && l.Text.StartsWith("presses ") && l.Text != "presses nothing");

        Assert.True(seconds < BudgetSeconds, $"{seconds:F1} s of speech before the end of the code:\n{call.Text()}");
        Assert.True(presses <= 2, $"{presses} key presses before the code");
    }

    /// <summary>How long a sentence takes to say, by this model (also the clock of <see cref="CalmWaitTests"/>).</summary>
    internal static double Seconds(string said) =>
        said.Split(' ', StringSplitOptions.RemoveEmptyEntries).Count(w => w.Any(char.IsLetterOrDigit)) * 60 / WordsPerMinute
        + ClausePause().Count(said) * ClausePauseSeconds
        + SentenceEnd().Count(said) * SentencePauseSeconds;

    [GeneratedRegex(@"[1-9], [1-9], [1-9], [1-9]\.$")]
    private static partial Regex SpokenCode();

    [GeneratedRegex("[,;:]")]
    private static partial Regex ClausePause();

    [GeneratedRegex("[.?!]")]
    private static partial Regex SentenceEnd();
}

using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Alice.Signatures;

namespace Alice.Bench;

/// <summary>
/// How long a first-time caller listens, in each language, from the answer to the end of the booking code:
/// one call a language through the running service's webhooks (French by pressing nothing at the language
/// offer, Dutch 2, English 3; then the first pickup point), each prompt heard whole before the key. Every
/// &lt;Say&gt; the service answers on the way is spoken by espeak-ng at 160 words a minute in a voice of its
/// language and timed with soxi; every &lt;Pause&gt; is added. The time a &lt;Gather&gt; waits for a key
/// before its default is not counted: the caller has heard everything by then.
/// </summary>
internal static partial class SpeechBench
{
    private const double GoalSeconds = 18;
    private const int WordsPerMinute = 160;

    /// <summary>The espeak-ng voice for each locale a &lt;Say&gt; names.</summary>
    private static readonly Dictionary<string, string> EspeakVoices = new()
    {
        ["fr-BE"] = "fr-be",
        ["nl-BE"] = "nl",
        ["en-GB"] = "en-gb",
    };

    /// <summary>The keys a first-time caller presses in each language: '-' lets a &lt;Gather&gt; time out.</summary>
    private static readonly (string Language, string Keys)[] Callers = [("French", "-1"), ("Dutch", "21"), ("English", "31")];

    /// <summary>Prints the table (a goal missed is marked ✗, as in infra/bench's other table); what each caller heard goes to standard error.</summary>
    public static async Task RunAsync(string dispatchUrl, string authToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri(dispatchUrl) };
        var work = Directory.CreateTempSubdirectory("alice-speech-");
        try
        {
            Console.WriteLine($"From the answer to the end of the code, a first-time caller hearing each prompt whole: espeak-ng at {WordsPerMinute} words a minute, " +
                              "a voice of each <Say>'s language (fr-be, nl, en-gb), each <Say> timed by soxi, each <Pause> added.\n");
            Console.WriteLine("| language | keys | words | seconds | goal | |\n|---|---|---:|---:|---|---|");
            foreach (var (language, keys) in Callers)
            {
                var heard = await HeardUntilCodeAsync(http, dispatchUrl, authToken, keys);
                var seconds = 0.0;
                foreach (var part in heard)
                    seconds += part.PauseSeconds ?? await SpokenSecondsAsync(work.FullName, part.Locale!, part.Text!);
                var words = heard.Sum(p => p.Text?.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length ?? 0);
                Console.WriteLine($"| {language} | {string.Join(", ", keys.Select(k => k == '-' ? "none" : k.ToString()))} | {words} | {seconds.ToString("F1", CultureInfo.InvariantCulture)} | < {GoalSeconds} s | {(seconds < GoalSeconds ? "✓" : "✗")} |");
                foreach (var part in heard)
                    Console.Error.WriteLine(part.PauseSeconds is { } pause ? $"  {language}: pause {pause} s" : $"  {language} [{part.Locale}]: {part.Text}");
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>A &lt;Say&gt; (its locale and text) or a &lt;Pause&gt; (its seconds).</summary>
    private sealed record Heard(string? Locale, string? Text, double? PauseSeconds);

    /// <summary>Plays Twilio's part in one call, posting signed webhooks and following the TwiML answered, until a &lt;Say&gt; ends with the code's digits.</summary>
    private static async Task<List<Heard>> HeardUntilCodeAsync(HttpClient http, string dispatchUrl, string authToken, string keys)
    {
        var callSid = "CAspeech" + Guid.NewGuid().ToString("N");
        var heard = new List<Heard>();
        var pressed = 0;
        var verbs = new Queue<XElement>(await PostAsync(http, dispatchUrl, authToken, callSid, "/twilio/voice", null));
        while (verbs.TryDequeue(out var verb))
        {
            switch (verb.Name.LocalName)
            {
                case "Say" or "Pause":
                    if (Hear(verb, heard)) return heard;
                    break;
                case "Gather":
                    foreach (var inner in verb.Elements())
                        if (Hear(inner, heard)) return heard;
                    if (pressed == keys.Length) throw new InvalidOperationException($"No code was heard after the keys {keys}.");
                    var key = keys[pressed++];
                    if (key == '-') break; // no key: Twilio goes on with the verb after the Gather
                    verbs = new(await PostAsync(http, dispatchUrl, authToken, callSid, (string)verb.Attribute("action")!, key.ToString()));
                    break;
                case "Redirect":
                    verbs = new(await PostAsync(http, dispatchUrl, authToken, callSid, verb.Value, null));
                    break;
                default:
                    throw new InvalidOperationException($"The call reached <{verb.Name.LocalName}> before a code, with the keys {keys}.");
            }
        }
        throw new InvalidOperationException($"The call ended before a code, with the keys {keys}.");
    }

    /// <summary>Adds a &lt;Say&gt; or a &lt;Pause&gt; to what is heard; true when it was the code.</summary>
    private static bool Hear(XElement verb, List<Heard> heard)
    {
        if (verb.Name.LocalName == "Pause")
        {
            heard.Add(new(null, null, (double?)verb.Attribute("length") ?? 1));
            return false;
        }
        if (verb.Name.LocalName != "Say") return false;
        var locale = (string?)verb.Attribute("language") ?? throw new InvalidOperationException($"A <Say> names no language: {verb}");
        heard.Add(new(locale, verb.Value, null));
        return SpokenCode().IsMatch(verb.Value);
    }

    /// <summary>Posts what Twilio posts at a step of the call, signed over the service's address, and returns the TwiML's verbs.</summary>
    private static async Task<IEnumerable<XElement>> PostAsync(HttpClient http, string dispatchUrl, string authToken, string callSid, string url, string? digits)
    {
        var service = dispatchUrl.TrimEnd('/');
        var path = url.StartsWith(service, StringComparison.Ordinal) ? url[service.Length..] : url;
        List<KeyValuePair<string, string>> form =
        [
            new("AccountSid", "AC00000000000000000000000000000000"), new("CallSid", callSid), new("From", "+32470999999"),
            new("To", HotlineBench.Hotline), new("CallStatus", "in-progress"), new("Direction", "inbound"),
        ];
        if (digits is not null) form.Add(new("Digits", digits));
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioWebhookSigner.Header, TwilioWebhookSigner.Sign(authToken, service + path, form));
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"The service answered {(int)response.StatusCode} to {path}: {body}");
        return XDocument.Parse(body).Root!.Elements().ToList();
    }

    /// <summary>The seconds espeak-ng takes to say the text, in the voice for its locale, as soxi reads the WAV file.</summary>
    private static async Task<double> SpokenSecondsAsync(string work, string locale, string text)
    {
        var voice = EspeakVoices.GetValueOrDefault(locale) ?? throw new InvalidOperationException($"No espeak-ng voice for {locale}.");
        var wav = Path.Combine(work, Guid.NewGuid().ToString("N") + ".wav");
        await RunAsync("espeak-ng", "-v", voice, "-s", WordsPerMinute.ToString(CultureInfo.InvariantCulture), "-w", wav, text);
        return double.Parse(await RunAsync("soxi", "-D", wav), CultureInfo.InvariantCulture);
    }

    private static async Task<string> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} failed ({process.ExitCode}): {await error}");
        return (await output).Trim();
    }

    /// <summary>The booking code as the menu says it: its digits one by one, at the end of a sentence.</summary>
    [GeneratedRegex(@"[1-9](, [1-9])+\.$")]
    private static partial Regex SpokenCode();
}

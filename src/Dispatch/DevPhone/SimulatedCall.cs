using System.Security.Cryptography;
using System.Xml.Linq;
using Alice.Dispatch.Telephony;
using Alice.Dispatch.Twilio;
using Alice.Signatures;

namespace Alice.Dispatch.DevPhone;

/// <summary>One line of a simulated call: who spoke (alice, caller or line), what was said or done, and in which language and voice.</summary>
internal sealed record CallLine(string Who, string Text, string? Language = null, string? Voice = null)
{
    public override string ToString() => Who switch
    {
        "alice" => $"Alice [{Language}, {Voice}]: {Text}",
        "caller" => $"Caller: {Text}",
        _ => $"  ({Text})",
    };
}

/// <summary>
/// Plays Twilio's part in a call, for trying the menu without a phone: posts signed webhooks as Twilio
/// would, follows the TwiML it gets back (Say, Gather, Redirect, Dial, Pause, Play, Hangup) and keeps a transcript.
/// Used by the development phone page, its command line, the tests and the benchmark.
/// </summary>
internal sealed class SimulatedCall(HttpClient http, string publicBaseUrl, string authToken, string from, string to)
{
    private readonly string _base = publicBaseUrl.TrimEnd('/');
    private readonly Queue<XElement> _pending = new();
    private readonly List<CallLine> _transcript = [];
    private string? _gatherAction;
    /// <summary>Cancelled when the caller hangs up: a step still under way (a wait, say) stops where it is.</summary>
    private readonly CancellationTokenSource _hungUp = new();

    public string CallSid { get; } = "CA" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    /// <summary>The phone page's handle for the call, in its URLs: never the CallSid, since request paths are logged.</summary>
    public string Id { get; } = Guid.NewGuid().ToString("N");
    /// <summary>What was said so far; a copy, as the page and tests read it while the call goes on.</summary>
    public IReadOnlyList<CallLine> Transcript
    {
        get { lock (_transcript) return [.. _transcript]; }
    }
    public bool AwaitingKey => _gatherAction is not null;
    public bool Ended { get; private set; }

    private void Record(CallLine line)
    {
        lock (_transcript) _transcript.Add(line);
    }

    /// <summary>How a bridged person's line ends, as Twilio reports it in DialCallStatus.</summary>
    public CallStatus DialOutcome { get; set; } = CallStatus.Completed;

    /// <summary>How much of each &lt;Pause&gt; is really waited (1: as on a phone).</summary>
    public double PauseScale { get; set; } = 1;

    public Task StartAsync(CancellationToken ct = default) => UntilHungUpAsync(step => FetchAndRunAsync($"{_base}/twilio/voice", [], step), ct);

    public Task PressAsync(char key, CancellationToken ct = default)
    {
        var action = _gatherAction ?? throw new InvalidOperationException("The call is not waiting for a key.");
        _gatherAction = null;
        _pending.Clear(); // a key press leaves the document for the Gather's action
        Record(new CallLine("caller", $"presses {key}"));
        return UntilHungUpAsync(step => FetchAndRunAsync(action, [new("Digits", key.ToString())], step), ct);
    }

    /// <summary>Lets the Gather time out without a key: Twilio then goes on with the next verb.</summary>
    public Task WaitAsync(CancellationToken ct = default)
    {
        if (_gatherAction is null) throw new InvalidOperationException("The call is not waiting for a key.");
        _gatherAction = null;
        Record(new CallLine("caller", "presses nothing"));
        return UntilHungUpAsync(RunPendingAsync, ct);
    }

    /// <summary>
    /// The caller hangs up, at any moment: what Twilio then does is post the status callback ("completed"),
    /// whatever the call was doing; the step under way, if any, goes no further.
    /// </summary>
    public async Task HangUpAsync(CancellationToken ct = default)
    {
        var ending = EndAsync(ct, new CallLine("caller", "hangs up"));
        await _hungUp.CancelAsync();
        await ending;
    }

    /// <summary>A step of the call, stopped without an error once the caller has hung up.</summary>
    private async Task UntilHungUpAsync(Func<CancellationToken, Task> step, CancellationToken ct)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(ct, _hungUp.Token);
        try
        {
            await step(either.Token);
        }
        catch (OperationCanceledException) when (_hungUp.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Plays a whole call: each key pressed in turn, '-' for pressing nothing; once the keys are spent
    /// the caller stays silent until the call ends (bounded, as every menu path is).
    /// </summary>
    public async Task PlayAsync(IEnumerable<char> keys, CancellationToken ct = default)
    {
        await StartAsync(ct);
        foreach (var key in keys.Concat(Enumerable.Repeat('-', MaxSilentSteps)))
        {
            if (!AwaitingKey) break;
            await (key == '-' ? WaitAsync(ct) : PressAsync(key, ct));
        }
    }

    private const int MaxSilentSteps = 10;
    private const string HoldToneLine = "hold tone";

    private async Task FetchAndRunAsync(string url, List<KeyValuePair<string, string>> extra, CancellationToken ct)
    {
        var twiml = await PostAsync(url, extra, ct);
        _pending.Clear();
        foreach (var verb in twiml.Root!.Elements()) _pending.Enqueue(verb);
        await RunPendingAsync(ct);
    }

    private static CallLine Said(XElement say) => new("alice", say.Value, (string?)say.Attribute("language"), (string?)say.Attribute("voice"));

    private async Task RunPendingAsync(CancellationToken ct)
    {
        while (_pending.TryDequeue(out var verb))
        {
            switch (verb.Name.LocalName)
            {
                case "Say":
                    Record(Said(verb));
                    break;
                case "Gather":
                    foreach (var say in verb.Elements("Say")) Record(Said(say));
                    _gatherAction = (string?)verb.Attribute("action");
                    return;
                case "Redirect":
                    await FetchAndRunAsync(verb.Value, [], ct);
                    return;
                case "Dial":
                    Record(new CallLine("line", $"bridged to {verb.Element("Number")?.Value} with caller ID {(string?)verb.Attribute("callerId")}; {DialOutcome.Name()}"));
                    await FetchAndRunAsync((string)verb.Attribute("action")!, [new("DialCallStatus", DialOutcome.Name())], ct);
                    return;
                case "Play":
                    // The only sound the menu plays is the wait's hold tone: one line for a stretch of it.
                    if (Transcript is not [.., { Who: "line", Text: HoldToneLine }]) Record(new CallLine("line", HoldToneLine));
                    await Task.Delay(HoldTone.Length * PauseScale, ct);
                    break;
                case "Pause":
                    await Task.Delay(TimeSpan.FromSeconds((int?)verb.Attribute("length") ?? 1) * PauseScale, ct);
                    break;
                case "Hangup":
                    _pending.Clear();
                    break;
            }
        }
        await EndAsync(ct);
    }

    private async Task EndAsync(CancellationToken ct, CallLine? why = null)
    {
        lock (_transcript)
        {
            // Once: the caller's hang-up and the call's own end may come together.
            if (Ended) return;
            Ended = true;
            if (why is not null) _transcript.Add(why);
            _transcript.Add(new CallLine("line", "call ended"));
        }
        await PostAsync($"{_base}/twilio/status", [new("CallStatus", CallStatus.Completed.Name())], ct);
    }

    /// <summary>Posts what Twilio posts, signed over the public URL, to the service's own address.</summary>
    private async Task<XDocument> PostAsync(string url, List<KeyValuePair<string, string>> extra, CancellationToken ct)
    {
        List<KeyValuePair<string, string>> form =
        [
            new("AccountSid", "AC00000000000000000000000000000000"), new("ApiVersion", "2010-04-01"),
            new("CallSid", CallSid), new("CallStatus", CallStatus.InProgress.Name()), new("Direction", "inbound"),
            new("From", from), new("Caller", from), new("To", to), new("Called", to),
            new("FromCountry", "BE"), new("FromCity", "BRUXELLES"),
        ];
        // A step's own fields replace the defaults (the status callback's CallStatus is "completed", not both).
        form = [.. form.Where(f => extra.All(e => e.Key != f.Key)), .. extra];
        var relative = url.StartsWith(_base, StringComparison.Ordinal) ? url[_base.Length..] : url;
        using var request = new HttpRequestMessage(HttpMethod.Post, relative) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioWebhookSigner.Header, TwilioWebhookSigner.Sign(authToken, _base + relative, form));
        using var response = await http.SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType != "text/xml")
            throw new InvalidOperationException($"The service answered {(int)response.StatusCode} ({response.Content.Headers.ContentType}) to {relative}: {body}");
        return XDocument.Parse(body);
    }
}

using System.Text;
using System.Xml.Linq;
using Alice.Dispatch.Campuses;

namespace Alice.Dispatch.Telephony;

/// <summary>Builds a TwiML document. XML is written by XLinq, so every text and URL is escaped.</summary>
internal sealed class TwiML
{
    private readonly XElement _root;
    private readonly Voices _voices;

    public TwiML(Voices voices) : this(new XElement("Response"), voices) { }
    private TwiML(XElement root, Voices voices) => (_root, _voices) = (root, voices);

    /// <summary>Every sentence names both its language and a voice that speaks it (see <see cref="Voices"/>).</summary>
    public TwiML Say(Language language, string text)
    {
        _root.Add(new XElement("Say", new XAttribute("voice", _voices.For(language)), new XAttribute("language", language.Locale), text));
        return this;
    }

    /// <summary>One key press; what is said inside can be interrupted by pressing a key.</summary>
    public TwiML Gather(string action, int timeoutSeconds, Action<TwiML> prompt)
    {
        var gather = new XElement("Gather",
            new XAttribute("input", "dtmf"), new XAttribute("numDigits", "1"),
            new XAttribute("timeout", timeoutSeconds), new XAttribute("action", action), new XAttribute("method", "POST"));
        prompt(new TwiML(gather, _voices));
        _root.Add(gather);
        return this;
    }

    public TwiML Redirect(string url)
    {
        _root.Add(new XElement("Redirect", new XAttribute("method", "POST"), url));
        return this;
    }

    /// <summary>
    /// Bridges the call. The caller ID is always a hotline number, so the person reached never sees the
    /// caller's. Without an action (the fallback TwiML Bin) Twilio ends the call when the dial ends.
    /// </summary>
    public TwiML Dial(string callerId, string number, string? action)
    {
        var dial = new XElement("Dial", new XAttribute("callerId", callerId), new XAttribute("timeout", "30"));
        if (action is not null) dial.Add(new XAttribute("action", action), new XAttribute("method", "POST"));
        dial.Add(new XElement("Number", number));
        _root.Add(dial);
        return this;
    }

    public TwiML Pause(int seconds)
    {
        _root.Add(new XElement("Pause", new XAttribute("length", seconds)));
        return this;
    }

    public TwiML Hangup()
    {
        _root.Add(new XElement("Hangup"));
        return this;
    }

    public override string ToString() =>
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + _root.ToString(SaveOptions.DisableFormatting);

    /// <summary>text/xml, as Twilio requires (another type is its error 12300).</summary>
    public IResult ToResult() => Results.Text(ToString(), "text/xml", Encoding.UTF8);
}

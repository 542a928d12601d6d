using System.Globalization;
using System.Text;
using System.Xml;
using Alice.Dispatch.Campuses;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Alice.Dispatch.Telephony;

/// <summary>
/// Builds a TwiML document, written straight into text: the XML writer behind XElement.ToString took
/// about 14 KB of buffers a document, most of what a menu step allocated (measured at 64 callers, where
/// the collections it caused paused the service about a sixth of the time). Every text and attribute
/// value goes through <see cref="Escaped"/>, which also refuses a character XML cannot carry.
/// </summary>
internal sealed class TwiML(Voices voices)
{
    private readonly StringBuilder _xml = new("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>", 1024);

    /// <summary>Every sentence names both its language and a voice that speaks it (see <see cref="Voices"/>).</summary>
    public TwiML Say(Language language, string text) =>
        Open("Say").Attribute("voice", voices.For(language)).Attribute("language", language.Locale).Content(text).Close("Say");

    /// <summary>One key press; what is said inside can be interrupted by pressing a key.</summary>
    public TwiML Gather(string action, int timeoutSeconds, Action<TwiML> prompt)
    {
        Open("Gather").Attribute("input", "dtmf").Attribute("numDigits", "1").Attribute("timeout", Number(timeoutSeconds))
            .Attribute("action", action).Attribute("method", "POST");
        _xml.Append('>');
        prompt(this);
        return Close("Gather");
    }

    public TwiML Redirect(string url) => Open("Redirect").Attribute("method", "POST").Content(url).Close("Redirect");

    /// <summary>
    /// Bridges the call. The caller ID is always a hotline number, so the person reached never sees the
    /// caller's. Without an action (the fallback TwiML Bin) Twilio ends the call when the dial ends.
    /// </summary>
    public TwiML Dial(string callerId, string number, string? action)
    {
        Open("Dial").Attribute("callerId", callerId).Attribute("timeout", "30");
        if (action is not null) Attribute("action", action).Attribute("method", "POST");
        _xml.Append('>');
        return Open("Number").Content(number).Close("Number").Close("Dial");
    }

    public TwiML Pause(int seconds) => Open("Pause").Attribute("length", Number(seconds)).Empty();

    public TwiML Hangup() => Open("Hangup").Empty();

    public override string ToString() => _xml + "</Response>";

    /// <summary>text/xml, as Twilio requires (another type is its error 12300).</summary>
    public ContentHttpResult ToResult() => TypedResults.Text(ToString(), "text/xml", Encoding.UTF8);

    private TwiML Open(string element)
    {
        _xml.Append('<').Append(element);
        return this;
    }

    private TwiML Attribute(string name, string value)
    {
        _xml.Append(' ').Append(name).Append("=\"");
        Escaped(value);
        _xml.Append('"');
        return this;
    }

    /// <summary>Ends the opening tag and writes the element's text.</summary>
    private TwiML Content(string text)
    {
        _xml.Append('>');
        Escaped(text);
        return this;
    }

    private TwiML Close(string element)
    {
        _xml.Append("</").Append(element).Append('>');
        return this;
    }

    private TwiML Empty()
    {
        _xml.Append(" />");
        return this;
    }

    /// <summary>
    /// Escaped for both text and a double-quoted attribute. Line breaks and tabs as character references, as
    /// XLinq wrote them: a reader turns them into spaces in an attribute, and a carriage return into a line feed.
    /// </summary>
    private void Escaped(string value)
    {
        XmlConvert.VerifyXmlChars(value);
        foreach (var c in value)
            _ = c switch
            {
                '&' => _xml.Append("&amp;"),
                '<' => _xml.Append("&lt;"),
                '>' => _xml.Append("&gt;"),
                '"' => _xml.Append("&quot;"),
                '\n' => _xml.Append("&#xA;"),
                '\r' => _xml.Append("&#xD;"),
                '\t' => _xml.Append("&#x9;"),
                _ => _xml.Append(c),
            };
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}

using System.Net;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Alice.Dispatch.Operator;

/// <summary>
/// How the operator is e-mailed (section <c>Operator</c>). Without <c>Operator:Smtp</c> nothing is e-mailed: the
/// Prometheus rules (infra/deploy/alice-alerts.rules.yml) are then the only way the operator hears of an outage,
/// and the start says so. Half a configuration is refused, naming what is missing.
/// </summary>
internal sealed class OperatorOptions
{
    public const string Section = "Operator";

    public SmtpServer Smtp { get; set; } = new();

    /// <summary>How often each instance looks at the conditions and sends what is due (1–300).</summary>
    public int WatchEverySeconds { get; set; } = 15;

    /// <summary>A condition nobody has seen for this long is over, and its "resolved" e-mail goes (at least twice the watch).</summary>
    public int ResolvedAfterSeconds { get; set; } = 180;

    /// <summary>Rides handed over to a person within this many minutes make one condition (1–1440).</summary>
    public int HandOverWindowMinutes { get; set; } = 30;

    /// <summary>More Twilio records than this waiting for deletion is a backlog worth an e-mail.</summary>
    public int TwilioBacklogAbove { get; set; } = 20;

    public bool Enabled => Smtp.Given;

    public TimeSpan WatchEvery => TimeSpan.FromSeconds(WatchEverySeconds);
    public TimeSpan ResolvedAfter => TimeSpan.FromSeconds(ResolvedAfterSeconds);

    internal sealed class SmtpServer
    {
        public string? Host { get; set; }
        public int Port { get; set; } = 587;
        public string? UserName { get; set; }
        /// <summary>A secret: the systemd credential <c>Operator__Smtp__Password</c> (an empty file is no password).</summary>
        public string? Password { get; set; }
        public string? From { get; set; }
        /// <summary>One address or several, comma-separated.</summary>
        public string? To { get; set; }
        /// <summary>TLS from the start on port 465, STARTTLS required on any other; plain only to this machine.</summary>
        public bool UseTls { get; set; } = true;

        /// <summary>Any part of it given (an empty credential file gives nothing).</summary>
        public bool Given => new[] { Host, UserName, Password, From, To }.Any(v => !string.IsNullOrWhiteSpace(v));

        public IEnumerable<MailboxAddress> Recipients() =>
            (To ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(MailboxAddress.Parse);

        public bool OnThisMachine => Host is "localhost" || IPAddress.TryParse(Host, out var ip) && IPAddress.IsLoopback(ip);
    }

    internal sealed class Validator : IValidateOptions<OperatorOptions>
    {
        public ValidateOptionsResult Validate(string? name, OperatorOptions o)
        {
            var errors = new List<string>();
            if (o.WatchEverySeconds is < 1 or > 300) errors.Add("Operator:WatchEverySeconds must be between 1 and 300.");
            if (o.ResolvedAfterSeconds < 2 * o.WatchEverySeconds || o.ResolvedAfterSeconds > 86400)
                errors.Add("Operator:ResolvedAfterSeconds must be at least twice Operator:WatchEverySeconds, and at most 86400.");
            if (o.HandOverWindowMinutes is < 1 or > 1440) errors.Add("Operator:HandOverWindowMinutes must be between 1 and 1440.");
            if (o.TwilioBacklogAbove < 1) errors.Add("Operator:TwilioBacklogAbove must be 1 or more.");
            var s = o.Smtp;
            if (!s.Given) return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);

            var missing = new[] { ("Host", s.Host), ("From", s.From), ("To", s.To) }.Where(p => string.IsNullOrWhiteSpace(p.Item2)).Select(p => p.Item1).ToList();
            if (missing.Count > 0)
                errors.Add($"Operator:Smtp is half set: {string.Join(", ", missing.Select(m => "Operator:Smtp:" + m))} missing. "
                    + "Host, From and To are all needed to e-mail the operator; leave the whole section out for no e-mail.");
            if (s.Port is < 1 or > 65535) errors.Add("Operator:Smtp:Port must be a port (1-65535).");
            errors.AddRange(AddressProblems(s));
            if (string.IsNullOrWhiteSpace(s.UserName) != string.IsNullOrWhiteSpace(s.Password))
                errors.Add("Operator:Smtp:UserName and Operator:Smtp:Password go together (the password as the systemd credential Operator__Smtp__Password).");
            if (!s.UseTls && !string.IsNullOrWhiteSpace(s.Host) && !s.OnThisMachine)
                errors.Add("Operator:Smtp:UseTls may be false only for a server on this machine (localhost, 127.0.0.1, ::1): "
                    + "the alerts, and a password, would cross the network in clear.");
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }

        /// <summary>
        /// A method of its own, reached only when Operator:Smtp is set: MimeKit is loaded when a method using it is
        /// compiled, and a service that e-mails nobody should not carry the mail libraries in its memory.
        /// </summary>
        private static IEnumerable<string> AddressProblems(SmtpServer s)
        {
            if (!string.IsNullOrWhiteSpace(s.From) && !MailboxAddress.TryParse(s.From, out _))
                yield return "Operator:Smtp:From must be an e-mail address.";
            if (!string.IsNullOrWhiteSpace(s.To) && !(s.To.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } to
                    && to.All(a => MailboxAddress.TryParse(a, out var box) && box.Address.Contains('@'))))
                yield return "Operator:Smtp:To must be one e-mail address or several, comma-separated.";
        }
    }
}

using System.Globalization;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Alice.Dispatch.Operator;

/// <summary>
/// E-mails the operator through their SMTP server (MailKit): one message per start or end of a condition, in
/// plain text, with headers a mail filter can sort on (<c>X-Alice-Condition</c>, <c>X-Alice-State</c>). What it
/// says is the condition, its counts, its times to the minute and what to do first: nothing about a caller or a ride.
/// </summary>
internal sealed class OperatorMail(IOptions<OperatorOptions> options)
{
    public async Task SendAsync(OperatorAlert alert, bool resolved, CancellationToken ct)
    {
        var smtp = options.Value.Smtp;
        var (title, firstDo) = Conditions.Describe(alert.Key);
        var message = new MimeMessage { Subject = resolved ? $"[Alice] resolved: {title}" : $"[Alice] ALERT: {title}" };
        message.From.Add(MailboxAddress.Parse(smtp.From!));
        message.To.AddRange(smtp.Recipients());
        message.Headers.Add("X-Alice-Condition", alert.Key);
        message.Headers.Add("X-Alice-State", resolved ? "resolved" : "raised");
        message.Body = new TextPart("plain") { Text = Body(alert, resolved, title, firstDo) };

        using var client = new SmtpClient { Timeout = 30_000 };
        await client.ConnectAsync(smtp.Host!, smtp.Port,
            !smtp.UseTls ? SecureSocketOptions.None : smtp.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls, ct);
        if (!string.IsNullOrWhiteSpace(smtp.UserName)) await client.AuthenticateAsync(smtp.UserName, smtp.Password!, ct);
        await client.SendAsync(message, ct);
        await client.DisconnectAsync(quit: true, ct);
    }

    private string Body(OperatorAlert alert, bool resolved, string title, string firstDo)
    {
        var quiet = options.Value.ResolvedAfterSeconds;
        return resolved
            ? $"""
              Over: {title}.
              Started {Minute(alert.StartedAt)}, last seen {Minute(alert.SeenAt)} ({alert.Detail}); nobody has seen it for {quiet} s since.

              (Alice dispatch, {Environment.MachineName})
              """
            : $"""
              {title}: {alert.Detail}.
              Since {Minute(alert.StartedAt)}.

              What to do first: {firstDo}

              This is the one e-mail about it while it lasts, whatever the rides it touches; another says when it is over
              (nobody has seen it for {quiet} s).

              (Alice dispatch, {Environment.MachineName})
              """;
    }

    private static string Minute(long unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds(unixSeconds).ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}

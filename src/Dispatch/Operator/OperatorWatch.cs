using System.Data.Common;
using Alice.Dispatch.Telemetry;
using MailKit;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Operator;

/// <summary>
/// Every <see cref="OperatorOptions.WatchEvery"/>, on every instance: writes down the conditions this instance sees
/// (its own signals, and counts from the shared tables), then e-mails what is due, each e-mail claimed first so
/// that one instance sends it. A loop of each instance rather than one clustered job: a partner failing or Twilio
/// failing is seen in one instance's memory, which a job running on another would not see. A failed e-mail is
/// tried again with a growing pause; a crash between sending and recording sends again (twice rather than never).
/// </summary>
internal sealed class OperatorWatch(OperatorSignals signals, OperatorAlertStore store, OperatorMail mail, IOptions<OperatorOptions> options,
    IHostEnvironment environment, TimeProvider clock, ILogger<OperatorWatch> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            // Allowed, so that a service without a mail server still answers callers; said once, as a warning outside Development.
            logger.Log(environment.IsDevelopment() ? LogLevel.Information : LogLevel.Warning,
                "Operator:Smtp is not set: the operator is not e-mailed about outages (only the Prometheus rules and the on-call phone remain)");
            return;
        }
        logger.LogInformation("The operator is e-mailed about outages through {Host}:{Port}", o.Smtp.Host, o.Smtp.Port);
        using var timer = new PeriodicTimer(o.WatchEvery, clock);
        do
        {
            try
            {
                await LookAsync(ct);
            }
            catch (DbException e)
            {
                logger.LogWarning("Operator alerts: the database could not be read or written ({Error}); trying again", e.GetType().Name);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                // Never the end of the host: a loop that e-mails the operator must not take the hotline down with it.
                logger.LogError("Operator alerts failed ({Error}); trying again at the next check", e.GetType().Name);
            }
        } while (await timer.WaitForNextTickAsync(ct));
    }

    public async Task LookAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        foreach (var (key, detail) in signals.Now().Concat(await SharedAsync(now, ct))) await store.SeenAsync(key, detail, now, ct);
        foreach (var alert in await store.ClaimDueAsync(now, now - options.Value.ResolvedAfter, ct))
        {
            var resolved = alert.Told;
            try
            {
                await mail.SendAsync(alert, resolved, ct);
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or SmtpCommandException or SmtpProtocolException
                                          or MailKit.Security.AuthenticationException or ServiceNotConnectedException or MailKit.Security.SslHandshakeException
                                          or TimeoutException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                // The type and SMTP's status code only: the server's reply text can carry the addresses.
                // From one look to the next, then doubling: a pause shorter than the watch's own would not be noticed.
                var pause = RetryPause.Doubling((int)alert.Failures + 1, options.Value.WatchEvery, TimeSpan.FromMinutes(5));
                logger.LogWarning("Could not e-mail the operator about {Condition} ({Error}{Status}); trying again in {Seconds} s",
                    alert.Key, e.GetType().Name, e is SmtpCommandException c ? $" {(int)c.StatusCode}" : "", pause.TotalSeconds);
                DispatchTelemetry.OperatorNotMailed();
                await store.FailedAsync(alert, now + pause, ct);
                continue;
            }
            DispatchTelemetry.OperatorMailed(resolved);
            if (resolved) await store.ResolvedAsync(alert, ct);
            else await store.ToldAsync(alert, now, ct);
            logger.LogInformation("E-mailed the operator: {Condition} {State}", alert.Key, resolved ? "resolved" : "raised");
        }
    }

    /// <summary>What the shared tables say, alike on every instance: hand-overs, alerts not reaching a phone, Twilio's backlog.</summary>
    private async Task<List<(string, string)>> SharedAsync(DateTimeOffset now, CancellationToken ct)
    {
        var o = options.Value;
        var seen = new List<(string, string)>();
        var handedOver = await store.CountAsync("SELECT COUNT(*) FROM alerts WHERE kind = 'needs_person' AND created_at >= @since;",
            new { since = (now - TimeSpan.FromMinutes(o.HandOverWindowMinutes)).ToUnixTimeSeconds() }, ct);
        if (handedOver > 0) seen.Add((Conditions.HandedOver, $"{handedOver} ride(s) handed over in the last {o.HandOverWindowMinutes} min"));
        // Three failures in a row: about 15 s of Twilio refusing, past a blip.
        var unreached = await store.CountAsync(
            "SELECT COUNT(*) FROM alerts WHERE acknowledged_at IS NULL AND resolved_at IS NULL AND notify_failures >= 3;", new { }, ct);
        if (unreached > 0) seen.Add((Conditions.OnCallUnreachable, $"{unreached} open alert(s) not delivered, each tried 3 times or more"));
        var waiting = await store.CountAsync("SELECT COUNT(*) FROM twilio_deletions;", new { }, ct);
        if (waiting > o.TwilioBacklogAbove) seen.Add((Conditions.TwilioDeletionsPilingUp, $"{waiting} records waiting (more than {o.TwilioBacklogAbove})"));
        return seen;
    }
}

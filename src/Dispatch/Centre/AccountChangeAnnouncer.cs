using Alice.Accounts;
using Alice.Totals;
using Alice.Dispatch.Campuses;
using Alice.Dispatch.Twilio;
using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Centre;

/// <summary>
/// Tells every campus's on-call phone of each change to an account (invited, enrolled, second factor reset,
/// disabled), by text: "Alice: account nina (Centre) invited by server command line at 2026-12-06 21:05".
/// Accounts open the console, so a login made for an impostor, or a nurse's second factor reset behind the
/// centre's back, is heard of at once by the person on call; the board lists the last week's changes from
/// the audit as well. A failure to text is logged by type and does not undo the change (disabling an
/// account must never wait on Twilio); the board still shows it. The same holds for the command line run
/// with incomplete settings (no campus numbers, no Twilio account): the service itself refuses to start
/// so, the command still changes the account. Only names, roles and times: no caller data exists here.
/// </summary>
internal sealed class AccountChangeAnnouncer(OnCallPhone phone, IOptions<HotlineOptions> hotline, ILogger<AccountChangeAnnouncer> logger) : IAccountChanges
{
    public static string Text(AccountChange change) =>
        $"Alice: account {change.UserName} ({change.Role}) {change.What} by {change.Actor} at {Week.InBrussels(change.At):yyyy-MM-dd HH:mm}";

    public async Task AnnounceAsync(AccountChange change, CancellationToken ct)
    {
        IReadOnlyList<HotlineOptions.Campus> campuses;
        try
        {
            campuses = hotline.Value.Campuses;
        }
        catch (OptionsValidationException)
        {
            logger.LogWarning("The on-call phones were not told of an account change: the campus settings are not valid (the service will say which)");
            return;
        }
        foreach (var campus in campuses)
        {
            try
            {
                await phone.TellAboutAccountAsync(campus, Text(change), ct);
            }
            catch (Exception e) when (e is HttpRequestException or TwilioRestException or OptionsValidationException
                                          or TaskCanceledException && !ct.IsCancellationRequested)
            {
                // The type only: nothing of the request goes to the log.
                logger.LogWarning("Could not text the on-call phone of a campus about an account change ({Error}); the board shows it", e.GetType().Name);
            }
        }
    }
}

using Alice.Accounts;
using Alice.Dispatch.Campuses;

namespace Alice.Dispatch.Centre;

/// <summary>
/// Tells every campus's on-call phone of each change to an account (invited, enrolled, second factor reset,
/// disabled), by text: "Alice: account nina (Centre) invited by server command line at 2026-12-06 21:05".
/// Accounts open the console, so a login made for an impostor, or a nurse's second factor reset behind the
/// centre's back, is heard of at once by the person on call; the board lists the last week's changes from
/// the audit as well. A failure to text is logged by type and does not undo the change (disabling an
/// account must never wait on Twilio); the board still shows it. Only names, roles and times: no caller
/// data exists here.
/// </summary>
internal sealed class AccountChangeAnnouncer(OnCallPhone phone, CampusDirectory campuses, ILogger<AccountChangeAnnouncer> logger) : IAccountChanges
{
    private static readonly TimeZoneInfo Brussels = TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels");

    public static string Text(AccountChange change) =>
        $"Alice: account {change.UserName} ({change.Role}) {change.What} by {change.Actor} at {TimeZoneInfo.ConvertTime(change.At, Brussels):yyyy-MM-dd HH:mm}";

    public async Task AnnounceAsync(AccountChange change, CancellationToken ct)
    {
        foreach (var campus in campuses.Hotline.Campuses)
        {
            try
            {
                await phone.TellAboutAccountAsync(campus, Text(change), ct);
            }
            catch (Exception e) when (e is HttpRequestException or TwilioRestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                // The type only: nothing of the request goes to the log.
                logger.LogWarning("Could not text the on-call phone of a campus about an account change ({Error}); the board shows it", e.GetType().Name);
            }
        }
    }
}

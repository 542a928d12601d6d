using Alice.Dispatch.Campuses;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Twilio;
using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Partners;

/// <summary>
/// Rings a console partner's dispatch office about a booking waiting on its page: a text and a call that
/// speaks it, from the campus's hotline number, through the Twilio account. What it says is the booking code
/// (what the driver shows anyway, in the booking the partner already has) and where to act: nothing about the
/// caller, nor even the pickup point.
/// </summary>
internal sealed class DispatchPhone(TwilioRest twilio, Voices voices, CampusDirectory campuses, IOptions<TwilioOptions> account)
{
    public async Task RingAsync(PartnerOptions.Provider partner, Ride ride, CancellationToken ct)
    {
        var from = (campuses.ById(ride.CampusId) ?? throw new InvalidOperationException($"Ride {ride.Id} names a campus no longer configured.")).HotlineNumber;
        var page = account.Value.BaseUrl + "/partner";
        await twilio.SendSmsAsync(partner.DispatchPhone, from,
            $"Alice : une nouvelle réservation attend sur votre page, code {ride.BookingCode}. / Een nieuwe rit wacht op uw pagina, code {ride.BookingCode}. / " +
            $"A new booking waits on your page, code {ride.BookingCode}. {page}", ct);
        var code = BookingCodes.Spoken(ride.BookingCode);
        // French, then Dutch; twice, for whoever picks up mid-sentence.
        await twilio.CallAsync(partner.DispatchPhone, from, voices.SaidTwice(
            (Languages.French, $"Alice. Une nouvelle réservation attend sur votre page. Code {code}."),
            (Languages.Dutch, $"Alice. Een nieuwe rit wacht op uw pagina. Code {code}.")), ct);
    }
}

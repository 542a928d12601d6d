using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Campuses;

/// <summary>Finds the campus a call is for from the number that was dialled (Twilio's <c>To</c>).</summary>
internal sealed class CampusDirectory(IOptions<HotlineOptions> options)
{
    private readonly Dictionary<string, HotlineOptions.Campus> _byNumber =
        options.Value.Campuses.ToDictionary(c => c.HotlineNumber, StringComparer.Ordinal);

    public HotlineOptions Hotline => options.Value;

    public HotlineOptions.Campus? ByNumber(string? to) =>
        to is not null && _byNumber.TryGetValue(to.Trim(), out var campus) ? campus : null;

    public HotlineOptions.Campus? ById(string id) =>
        options.Value.Campuses.FirstOrDefault(c => c.Id == id);
}

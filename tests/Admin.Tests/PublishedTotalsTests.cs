using Alice.Accounts;
using Alice.Admin.Tests.Support;
using Dapper;

namespace Alice.Admin.Tests;

/// <summary>
/// The panel shows the totals the service has published, never its live counts: a week counted but not
/// published is nowhere on its pages, and a published week shows the values it was published with,
/// whatever is counted afterwards. (When a week is published, and that it is then frozen, is the service's
/// publication job's, tested on a fake clock in Dispatch.Tests' PublishedTotalsTests.)
/// </summary>
public class PublishedTotalsTests(Panel panel) : IClassFixture<Panel>
{
    [Fact]
    public async Task A_week_the_service_counts_is_not_on_the_panel_until_it_is_published()
    {
        var campus = "live-" + Guid.NewGuid().ToString("N")[..6];
        var thisWeek = Alice.Totals.Week.Of(DateTimeOffset.UtcNow).Key;
        await panel.CountLiveAsync((campus, thisWeek, "rides_booked", 40), (campus, "2026-W10", "rides_booked", 40));
        using var organiser = await Staff.LoggedInAsync(panel, Roles.Organiser);

        Assert.DoesNotContain(campus, await organiser.Client.GetStringAsync("/totals?by=year"));
        Assert.DoesNotContain(campus, await organiser.Client.GetStringAsync("/totals"));

        await panel.PublishAsync((campus, "2026-W10", "rides_booked", 40));
        var csv = await organiser.Client.GetStringAsync($"/totals.csv?campus={campus}&by=year");
        Assert.Contains(",40,", csv);
        // Counted again after its publication: the panel still shows what was published.
        await panel.CountLiveAsync((campus, "2026-W10", "rides_booked", 5));
        Assert.Equal(csv, await organiser.Client.GetStringAsync($"/totals.csv?campus={campus}&by=year"));
    }

    [Fact]
    public async Task A_row_published_for_a_later_time_is_not_shown_before_it()
    {
        var campus = "later-" + Guid.NewGuid().ToString("N")[..6];
        await panel.PublishAsync(("placeholder", "2026-W01", "rides_booked", 0)); // the published store exists
        using (var published = panel.Database.OpenPublished())
            await published.ExecuteAsync("INSERT INTO published_totals (campus, week, measure, value, published_at) VALUES (@campus, '2026-W11', 'rides_booked', 40, @at);",
                new { campus, at = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds() });
        using var organiser = await Staff.LoggedInAsync(panel, Roles.Organiser);

        Assert.DoesNotContain(campus, await organiser.Client.GetStringAsync("/totals?by=year"));
    }
}

using Alice.Dispatch.Campuses;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Alice.Dispatch.Tests;

public class BookingCodeTests(Hotline hotline) : IClassFixture<Hotline>
{
    [Fact]
    public void Codes_are_four_digits_from_one_to_nine_never_the_same_digit_twice_in_a_row()
    {
        var codes = Enumerable.Range(0, 20_000).Select(_ => BookingCodes.New()).ToList();
        Assert.All(codes, code => Assert.True(BookingCodes.IsWellFormed(code), code));
        Assert.Equal("123456789", string.Concat(codes.SelectMany(c => c).Distinct().Order()));
        Assert.True(codes.Distinct().Count() > 4000, "codes should spread over the whole space");
    }

    [Fact]
    public void Codes_picked_when_random_draws_fail_are_never_held_and_never_used_ones_come_before_freed_ones()
    {
        var held = BookingCodes.All.Take(4000).ToHashSet();
        var stored = BookingCodes.All.Take(4600).ToHashSet(); // 600 freed (stored, not held), 8 never used
        var neverUsed = BookingCodes.All.Except(stored).ToHashSet();

        var picked = Enumerable.Range(0, 200).Select(_ => BookingCodes.PickFree(held, stored)!).ToList();
        Assert.All(picked, c => Assert.Contains(c, neverUsed));
        Assert.Equal(neverUsed.Order(), picked.Distinct().Order()); // at random among them: 200 picks meet all 8

        var freed = Enumerable.Range(0, 200).Select(_ => BookingCodes.PickFree(held, BookingCodes.All.ToHashSet())!).ToList();
        Assert.DoesNotContain(freed, held.Contains);
        Assert.True(freed.Distinct().Count() > 100, "freed codes should be picked at random among the 608");
        Assert.Null(BookingCodes.PickFree(BookingCodes.All.ToHashSet(), BookingCodes.All.ToHashSet()));
    }

    [Theory]
    [InlineData("1234", true)]
    [InlineData("1123", false)]
    [InlineData("0123", false)]
    [InlineData("123", false)]
    [InlineData("12a4", false)]
    public void Well_formed_codes_are_told_from_ambiguous_ones(string code, bool wellFormed) =>
        Assert.Equal(wellFormed, BookingCodes.IsWellFormed(code));

    [Fact]
    public async Task Two_thousand_active_rides_all_get_different_codes()
    {
        // 2,000 of the 4,608 possible codes: drawing at random clashes often, and every clash must be
        // met with a fresh draw, never a shared code.
        var store = hotline.App.Services.GetRequiredService<RideStore>();
        var requests = Enumerable.Range(0, 2000).Select(i => new RideRequest($"bulk-{Guid.NewGuid()}", "alma", "alma-metro", Languages.French, "simulator", TimeSpan.FromMinutes(2), Channel.Voice)).ToList();
        var written = new List<RideStore.Written>();
        foreach (var request in requests) written.Add(await store.InsertOrGetAsync(request, () => true, CancellationToken.None));

        Assert.All(written, w => Assert.True(w.Created));
        Assert.Equal(2000, written.Select(w => w.Ride!.BookingCode).Distinct().Count());
        Assert.All(written, w => Assert.True(BookingCodes.IsWellFormed(w.Ride!.BookingCode)));
    }

    [Fact]
    public async Task A_second_request_for_the_same_call_gets_the_first_ride_back()
    {
        var store = hotline.App.Services.GetRequiredService<RideStore>();
        var request = new RideRequest($"call-{Guid.NewGuid()}", "alma", "saint-luc-main", Languages.Dutch, "simulator", TimeSpan.FromMinutes(2), Channel.Voice);
        var written = new[]
        {
            await store.InsertOrGetAsync(request, () => true, CancellationToken.None),
            await store.InsertOrGetAsync(request with { PickupPointId = "alma-metro" }, () => true, CancellationToken.None),
        };

        Assert.True(written[0].Created);
        Assert.False(written[1].Created);
        Assert.Equal(written[0].Ride!.Id, written[1].Ride!.Id);
        Assert.Equal(written[0].Ride!.BookingCode, written[1].Ride!.BookingCode);
    }
}

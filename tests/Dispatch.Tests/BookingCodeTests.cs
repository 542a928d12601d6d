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
        var recent = BookingCodes.All.Skip(3000).Take(1600).ToHashSet(); // 600 freed (recent, not held), 8 never used
        var neverUsed = BookingCodes.All.Where(c => !held.Contains(c) && !recent.Contains(c)).ToHashSet();

        var picked = new BookingCodes.Pools(held, recent).Take(20);

        Assert.Equal(20, picked.Distinct().Count());
        Assert.DoesNotContain(picked, held.Contains);
        Assert.Equal(neverUsed.Order(), picked.Take(8).Order());
        Assert.All(picked.Skip(8), c => Assert.Contains(c, recent));
        // At random among the freed ones: two picks of twelve out of 600 are almost never the same.
        Assert.NotEqual(picked.Skip(8).Order(), new BookingCodes.Pools(held, recent).Take(20).Skip(8).Order());
        Assert.Equal(608, new BookingCodes.Pools(held, recent).Take(5000).Count); // fewer when too few are free
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
        var requests = Enumerable.Range(0, 2000).Select(i => new RideRequest($"bulk-{Guid.NewGuid()}", "alma", "alma-metro", Languages.French, "simulator", TimeSpan.FromMinutes(2))).ToList();
        var written = await store.InsertOrGetAsync(requests, CancellationToken.None);

        Assert.All(written, w => Assert.True(w.Created));
        Assert.Equal(2000, written.Select(w => w.Ride!.BookingCode).Distinct().Count());
        Assert.All(written, w => Assert.True(BookingCodes.IsWellFormed(w.Ride!.BookingCode)));
    }

    [Fact]
    public async Task A_second_request_for_the_same_call_gets_the_first_ride_back()
    {
        var store = hotline.App.Services.GetRequiredService<RideStore>();
        var request = new RideRequest($"call-{Guid.NewGuid()}", "alma", "saint-luc-main", Languages.Dutch, "simulator", TimeSpan.FromMinutes(2));
        var written = await store.InsertOrGetAsync([request, request with { PickupPointId = "alma-metro" }], CancellationToken.None);

        Assert.True(written[0].Created);
        Assert.False(written[1].Created);
        Assert.Equal(written[0].Ride!.Id, written[1].Ride!.Id);
        Assert.Equal(written[0].Ride!.BookingCode, written[1].Ride!.BookingCode);
    }
}

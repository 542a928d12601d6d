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

    [Theory]
    [InlineData("1234", true)]
    [InlineData("1123", false)]
    [InlineData("0123", false)]
    [InlineData("123", false)]
    [InlineData("12a4", false)]
    public void Well_formed_codes_are_told_from_ambiguous_ones(string code, bool wellFormed) =>
        Assert.Equal(wellFormed, BookingCodes.IsWellFormed(code));

    [Fact]
    public async Task A_code_held_by_an_active_ride_is_not_given_to_another()
    {
        var store = hotline.App.Services.GetRequiredService<RideStore>();
        var first = await store.InsertOrGetAsync("key-" + Guid.NewGuid(), "9898", "alma", "alma-metro", "fr", CancellationToken.None);
        Assert.NotNull(first);
        var clash = await store.InsertOrGetAsync("key-" + Guid.NewGuid(), "9898", "alma", "alma-metro", "fr", CancellationToken.None);
        Assert.Null(clash);
    }
}

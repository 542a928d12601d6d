using System.Net;
using Alice.Accounts;
using Microsoft.Extensions.Time.Testing;

namespace Alice.Dispatch.Tests;

/// <summary>How long failures hold a place back, on a fake clock: a wait that grows, and nobody else held with it.</summary>
public class LoginThrottleTests
{
    private const string Name = "NINA";

    [Fact]
    public void Five_failures_hold_a_place_back_a_minute_and_each_further_failure_doubles_the_wait_up_to_fifteen()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 3, 0, 0, TimeSpan.Zero));
        var throttle = new LoginThrottle(clock);
        for (var i = 0; i < 4; i++) throttle.Failed(Name, "net:203.0.113.7", knownDevice: false);
        Assert.False(throttle.IsHeld(Name, "net:203.0.113.7", knownDevice: false));

        List<int> waits = [];
        for (var i = 0; i < 6; i++)
        {
            throttle.Failed(Name, "net:203.0.113.7", knownDevice: false);
            var minutes = 0;
            while (throttle.IsHeld(Name, "net:203.0.113.7", knownDevice: false))
            {
                Assert.False(throttle.IsHeld(Name, "net:198.51.100.20", knownDevice: false)); // another place is never held with it
                clock.Advance(TimeSpan.FromMinutes(1));
                minutes++;
            }
            waits.Add(minutes);
        }

        Assert.Equal([1, 2, 4, 8, 15, 15], waits);
    }

    [Fact]
    public void Failures_from_many_places_hold_back_new_places_on_that_name_but_not_a_known_browser_nor_another_name()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 3, 0, 0, TimeSpan.Zero));
        var throttle = new LoginThrottle(clock);
        for (var i = 0; i < LoginThrottle.AccountFailuresPerHour; i++) throttle.Failed(Name, $"net:2001:db8:{i + 1:x}::/64", knownDevice: false);

        Assert.True(throttle.IsHeld(Name, "net:192.0.2.50", knownDevice: false));
        Assert.False(throttle.IsHeld(Name, "device:her-browser", knownDevice: true));
        Assert.False(throttle.IsHeld("OTHER", "net:192.0.2.50", knownDevice: false));
        clock.Advance(TimeSpan.FromMinutes(61));
        Assert.False(throttle.IsHeld(Name, "net:192.0.2.50", knownDevice: false));
    }

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:5:6::1", "2001:db8:5:6::/64")]
    [InlineData("2001:db8:5:6:ffff:1:2:3", "2001:db8:5:6::/64")]
    public void A_client_is_counted_by_its_ipv4_address_or_its_ipv6_64(string address, string network) =>
        Assert.Equal(network, LoginThrottle.NetworkOf(IPAddress.Parse(address)));
}

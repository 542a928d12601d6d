namespace Alice.Dispatch.Tests;

/// <summary>The development phone calls the service on loopback, found from where the server listens, never from a request.</summary>
public class ListenAddressesTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5080", "http://127.0.0.1:5080/")]
    [InlineData("http://[::1]:5080", "http://[::1]:5080/")]
    [InlineData("http://0.0.0.0:5080", "http://127.0.0.1:5080/")]
    [InlineData("http://[::]:5080", "http://127.0.0.1:5080/")]
    [InlineData("https://localhost:5443;http://localhost:5080", "http://localhost:5080/")]
    [InlineData("http://192.168.1.20:5080;http://127.0.0.1:5081", "http://127.0.0.1:5081/")]
    [InlineData("http://192.168.1.20:5080", null)]
    [InlineData("", null)]
    public void The_loopback_address_the_service_is_reached_at_whatever_it_listens_on(string listening, string? reached) =>
        Assert.Equal(reached, ListenAddresses.Loopback(listening.Split(';', StringSplitOptions.RemoveEmptyEntries))?.ToString());
}

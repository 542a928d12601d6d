using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Alice.Accounts;

namespace Alice.Dispatch.Tests.Support;

/// <summary>
/// The service as production runs it behind nginx: every connection comes from loopback and the client's
/// own address is in X-Forwarded-For, which the service takes from a proxy on loopback only. The in-process
/// server has no client address at all; this gives it one per person, as nginx would.
/// </summary>
internal sealed class BehindProxy : IAsyncDisposable
{
    private readonly DispatchApp _app;

    private BehindProxy(DispatchApp app, WebApplicationFactory<Program> proxied) => (_app, Factory) = (app, proxied);

    /// <summary>The service, as a person behind the proxy reaches it.</summary>
    public WebApplicationFactory<Program> Factory { get; }

    public DispatchApp App => _app;

    /// <summary>Password checks the service made (the work each login attempt costs), counted.</summary>
    public CountingHasher Hasher { get; } = new();

    public static BehindProxy Start(PartnerSimulatorHost partner, Dictionary<string, string?>? settings = null)
    {
        var app = new DispatchApp(partner, settings: settings);
        BehindProxy? proxy = null;
        var proxied = app.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services
            .AddSingleton<IStartupFilter, FromLoopback>()
            .AddScoped<IPasswordHasher<Account>>(_ => proxy!.Hasher)));
        proxy = new BehindProxy(app, proxied);
        proxied.CreateClient().Dispose();
        return proxy;
    }

    /// <summary>A person at a browser at this address (IPv4 or IPv6).</summary>
    public Staff From(string address)
    {
        var staff = new Staff(Factory);
        staff.Client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return staff;
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        await _app.DisposeAsync();
    }

    private sealed class FromLoopback : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((http, then) =>
            {
                http.Connection.RemoteIpAddress ??= IPAddress.Loopback;
                return then(http);
            });
            next(app);
        };
    }

    internal sealed class CountingHasher : IPasswordHasher<Account>
    {
        private readonly PasswordHasher<Account> _inner = new();
        private int _verifications;
        public int Verifications => Volatile.Read(ref _verifications);
        public string HashPassword(Account user, string password) => _inner.HashPassword(user, password);
        public PasswordVerificationResult VerifyHashedPassword(Account user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verifications);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}

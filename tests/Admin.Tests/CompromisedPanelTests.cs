using System.Data.Common;
using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using System.Security.Cryptography;
using Alice.Accounts;
using Alice.Web;
using Alice.Admin.Tests.Support;
using Dapper;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Alice.Admin.Tests;

/// <summary>
/// Whoever takes the panel's host holds what its process holds: its settings (every connection string in
/// them, opened directly, without the panel's code in the way), its database login and its key ring. With
/// all of it they try what a compromised panel would: read rides and consents, decrypt a caller's number
/// the service protected, mint a Centre console cookie, change a Centre account. Each fails.
/// </summary>
public class CompromisedPanelTests(Panel panel) : IClassFixture<Panel>
{
    /// <summary>The purpose the service protects a caller's number under (src/Dispatch/Messages/SmsConsents.cs).</summary>
    private const string CallerNumberPurpose = "Alice.Messages.CallerNumber";

    /// <summary>The purpose of Identity's login cookie (the cookie handler's data protector for Identity.Application).</summary>
    private static readonly string[] CookiePurpose = ["Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationMiddleware", IdentityConstants.ApplicationScheme, "v2"];

    [Theory]
    [InlineData("rides")]
    [InlineData("sms_consents")]
    [InlineData("twilio_deletions")]
    [InlineData("alerts")]
    [InlineData("police_requests")]
    [InlineData("qrtz_job_details")]
    [InlineData("weekly_totals")]
    public async Task Nothing_the_panel_holds_reads_a_ride_a_consent_or_anything_else_of_the_service(string table)
    {
        var tried = 0;
        foreach (var connection in HeldConnections())
            await using (connection)
            {
                tried++;
                // Refused by the database, or no such table where the connection leads.
                await Assert.ThrowsAnyAsync<DbException>(() => connection.QueryAsync($"SELECT * FROM {table};"));
            }
        Assert.True(tried >= 1);
    }

    [Theory]
    [InlineData("SELECT * FROM audit_log WHERE actor = 'server command line';")]
    [InlineData("SELECT id, security_stamp FROM accounts WHERE role = 'Centre';")]
    public async Task Nothing_the_panel_holds_reads_the_services_accounts_audit_or_keys(string sql)
    {
        await panel.DispatchAsync("accounts", "invite", "nurse-" + Guid.NewGuid().ToString("N")[..6], "Centre");
        var tried = 0;
        foreach (var connection in HeldConnections())
            await using (connection)
            {
                tried++;
                // Refused by the database, or the table is not there at all: either way nothing comes back.
                var rows = await TryAsync(() => connection.QueryAsync(sql));
                Assert.True(rows is null || !rows.Any(), $"{sql} read rows through {Describe(connection)}");
            }
        Assert.True(tried >= 1);
    }

    [Fact]
    public async Task Nothing_the_panel_holds_reads_a_key_of_the_services_key_ring()
    {
        using var service = panel.Database.Open();
        var serviceKeys = (await service.QueryAsync<string>("SELECT name FROM data_protection_keys;")).ToList();
        Assert.NotEmpty(serviceKeys);

        foreach (var connection in HeldConnections())
            await using (connection)
            {
                var keys = await TryAsync(() => connection.QueryAsync<string>("SELECT name FROM data_protection_keys;")) ?? [];
                Assert.Empty(keys.Intersect(serviceKeys));
            }
    }

    [Fact]
    public async Task Nothing_the_panel_holds_changes_a_centre_account_role_or_second_factor()
    {
        var nurse = "nurse-" + Guid.NewGuid().ToString("N")[..6];
        await panel.DispatchAsync("accounts", "invite", nurse, "Centre");
        var before = await CentreAccountAsync(nurse);

        foreach (var connection in HeldConnections())
            await using (connection)
            {
                await TryAsync(() => connection.ExecuteAsync("UPDATE accounts SET role = 'Operator' WHERE user_name = @nurse;", new { nurse }));
                await TryAsync(() => connection.ExecuteAsync(
                    "UPDATE accounts SET authenticator_key = NULL, two_factor_enabled = 0, security_stamp = 'mine' WHERE user_name = @nurse;", new { nurse }));
                await TryAsync(() => connection.ExecuteAsync(
                    "INSERT INTO accounts (id, user_name, normalized_user_name, role, security_stamp, concurrency_stamp, two_factor_enabled, recovery_codes, access_failed_count, created_at) " +
                    "VALUES ('forged', 'forged', 'FORGED', 'Centre', 's', 'c', 0, '', 0, 0);"));
            }

        Assert.Equal(before, await CentreAccountAsync(nurse));
        using var service = panel.Database.Open();
        Assert.Equal(0, await service.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM accounts WHERE id = 'forged';"));
    }

    [Fact]
    public void The_panels_key_ring_cannot_read_a_callers_number_the_service_protected()
    {
        using var service = ServiceDataProtection();
        var protectedNumber = service.GetRequiredService<IDataProtectionProvider>().CreateProtector(CallerNumberPurpose).Protect("+32470000001");
        // The stand-in reads it back: what the panel fails at below is not a broken payload.
        Assert.Equal("+32470000001", service.GetRequiredService<IDataProtectionProvider>().CreateProtector(CallerNumberPurpose).Unprotect(protectedNumber));

        var panels = panel.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(CallerNumberPurpose);

        Assert.ThrowsAny<CryptographicException>(() => panels.Unprotect(protectedNumber));
    }

    [Fact]
    public async Task A_console_cookie_made_with_the_panels_key_ring_is_refused_by_the_centre_console()
    {
        var nurse = "nurse-" + Guid.NewGuid().ToString("N")[..6];
        await panel.DispatchAsync("accounts", "invite", nurse, "Centre");
        // Even knowing the Centre account's id and security stamp (the panel cannot read them any more).
        var (id, stamp) = await CentreAccountAsync(nurse) is var a ? (a.Id, a.Stamp) : default;
        await using var dispatch = await StartDispatchAsync();
        using var service = ServiceDataProtection();

        // The forgery works with the service's key ring: the console opens.
        Assert.Equal(HttpStatusCode.OK, (await CentreWithAsync(dispatch.Url, Cookie(service.GetRequiredService<IDataProtectionProvider>(), id, nurse, stamp))).StatusCode);
        // With the panel's it does not.
        var forged = await CentreWithAsync(dispatch.Url, Cookie(panel.Services.GetRequiredService<IDataProtectionProvider>(), id, nurse, stamp));
        Assert.Equal(HttpStatusCode.Redirect, forged.StatusCode);
        Assert.Equal("/account/login", forged.Headers.Location?.AbsolutePath);
    }

    /// <summary>A connection of every connection string in the panel's settings, opened as any program on its host could (read-write, no authorizer).</summary>
    private IEnumerable<DbConnection> HeldConnections()
    {
        var settings = panel.Services.GetRequiredService<IConfiguration>();
        var postgres = settings["Database:Provider"] == "Postgres";
        foreach (var (key, value) in settings.AsEnumerable())
        {
            if (!key.EndsWith("ConnectionString", StringComparison.OrdinalIgnoreCase) || string.IsNullOrEmpty(value)) continue;
            DbConnection connection = postgres
                ? new NpgsqlConnection(value)
                : new SqliteConnection(new SqliteConnectionStringBuilder(value) { Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
            try { connection.Open(); }
            catch (DbException) { connection.Dispose(); continue; } // a file that is not there holds nothing
            yield return connection;
        }
    }

    private static string Describe(DbConnection connection) => connection.DataSource + "/" + connection.Database;

    private static async Task<T?> TryAsync<T>(Func<Task<T>> action)
    {
        try { return await action(); }
        catch (DbException) { return default; }
    }

    private async Task<(string Id, string Stamp, string Role, string? Key, long TwoFactor)> CentreAccountAsync(string name)
    {
        using var service = panel.Database.Open();
        return await service.QuerySingleAsync<(string, string, string, string?, long)>(
            "SELECT id, security_stamp, role, authenticator_key, two_factor_enabled FROM accounts WHERE user_name = @name;", new { name });
    }

    /// <summary>
    /// The service's Data Protection, as the service sets it up (Alice.Accounts' AddKeyRing under the service's
    /// application name, its ring in the service's database, its key-encryption key): the panel's tests load
    /// no assembly of the service, so this stands in for it.
    /// </summary>
    private ServiceProvider ServiceDataProtection()
    {
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DataProtection:KeyEncryptionKey"] = Panel.ServiceKeyEncryptionKey,
        }).Build();
        DbDataSource source = TestDatabase.IsPostgres
            ? NpgsqlDataSource.Create(panel.Database.ConnectionString)
            : new SqliteSource(panel.Database.ConnectionString);
        return new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<Microsoft.Extensions.Hosting.IHostEnvironment>(new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Production" })
            .AddServiceKeyRing(settings, source)
            .BuildServiceProvider();
    }

    /// <summary>The login cookie Identity would write for this account, protected by this provider.</summary>
    private static string Cookie(IDataProtectionProvider protection, string id, string name, string stamp)
    {
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, id), new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, Roles.Centre),
            new Claim("AspNet.Identity.SecurityStamp", stamp),
        ], IdentityConstants.ApplicationScheme);
        var now = DateTimeOffset.UtcNow;
        var ticket = new AuthenticationTicket(new ClaimsPrincipal(identity), new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now.AddHours(1) }, IdentityConstants.ApplicationScheme);
        return new TicketDataFormat(protection.CreateProtector(CookiePurpose[0], CookiePurpose[1..])).Protect(ticket);
    }

    private static async Task<HttpResponseMessage> CentreWithAsync(string url, string cookie)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        var request = new HttpRequestMessage(HttpMethod.Get, url + "/centre");
        request.Headers.Add("Cookie", "alice.session=" + cookie);
        return await http.SendAsync(request);
    }

    /// <summary>The dispatch service as a process on the service's database (Development: its console over plain http on loopback).</summary>
    private async Task<RunningDispatch> StartDispatchAsync()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var url = $"http://127.0.0.1:{port}";
        var process = await HostProcess.StartAsync("src/Dispatch", "Alice.Dispatch", url, new Dictionary<string, string>(panel.Database.EnvironmentVariables)
        {
            ["DataProtection__KeyEncryptionKey"] = Panel.ServiceKeyEncryptionKey,
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Twilio__PublicBaseUrl"] = url,
        });
        return new RunningDispatch(process, url);
    }

    private sealed record RunningDispatch(HostProcess Process, string Url) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Process.DisposeAsync();
    }

    private sealed class SqliteSource(string connectionString) : DbDataSource
    {
        public override string ConnectionString => connectionString;
        protected override DbConnection CreateDbConnection() => new SqliteConnection(connectionString);
    }
}

internal static class ServiceKeyRing
{
    /// <summary>Data Protection as the dispatch service adds it (src/Dispatch/Privacy/PrivacyExtensions.cs).</summary>
    public static IServiceCollection AddServiceKeyRing(this IServiceCollection services, IConfiguration settings, DbDataSource database) =>
        services.AddKeyRing(settings, applicationName: "Alice", _ => database);
}

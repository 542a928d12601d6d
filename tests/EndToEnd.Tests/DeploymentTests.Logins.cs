using System.Net;
using Alice.Signatures;
using Dapper;
using Npgsql;

namespace Alice.EndToEnd.Tests;

public sealed partial class DeploymentTests
{
    private const string TwilioToken = "deployment-test-twilio-auth-token";

    /// <summary>
    /// The installer's PostgreSQL roles, run on a cluster of the test's own: the migration logs in as alice,
    /// each instance as its own login acting as alice (its credential in a folder of its own), so one
    /// instance's password changes while it is stopped, and the other goes on booking;
    /// the tables keep one owner whoever wrote them.
    /// </summary>
    [Fact]
    public async Task Each_instance_logs_in_as_its_own_role_and_changes_its_password_alone_while_the_other_books()
    {
        await InstallAsync("2026.12.1", Builds());
        var cluster = new PrivateCluster("logins");
        var instances = new List<HostProcess>();
        try
        {
            var super = (await cluster.StartAsync())["ALICE_POSTGRES_SUPER"];
            await RunAsync("/usr/lib/postgresql/15/bin/psql", Libpq(super), "-v", "ON_ERROR_STOP=1", "-qAt", "-f", Path.Combine(_root, "install-roles.sql"));
            string Login(string folder) => new NpgsqlConnectionStringBuilder(Credential(folder, "Database__ConnectionString")) { Port = cluster.Port }.ConnectionString;

            await HostProcess.RunAsync("src/Dispatch", "Alice.Dispatch", ["migrate"], Environment(Login("dispatch"), "http://127.0.0.1:9"));
            var urls = new[] { $"http://127.0.0.1:{Repo.FreePort()}", $"http://127.0.0.1:{Repo.FreePort()}" };
            Task<HostProcess> StartAsync(int i, string login) => HostProcess.StartAsync("src/Dispatch", "Alice.Dispatch", urls[i], Environment(login, urls[i]));
            instances.Add(await StartAsync(0, Login("dispatch-5281")));
            instances.Add(await StartAsync(1, Login("dispatch-5282")));
            await BooksAsync(urls[0]);
            await BooksAsync(urls[1]);

            // Instance 2 stopped, its password changed in PostgreSQL and in its credential, started again;
            // instance 1 books meanwhile.
            await instances[1].DisposeAsync();
            var old = Login("dispatch-5282");
            var changed = new NpgsqlConnectionStringBuilder(old) { Password = "a-new-password-for-alice-5282-0123456789" }.ConnectionString;
            await using (var server = new NpgsqlConnection(super))
                await server.ExecuteAsync("ALTER ROLE alice_5282 PASSWORD 'a-new-password-for-alice-5282-0123456789';");
            await BooksAsync(urls[0]);
            instances[1] = await StartAsync(1, changed);
            await BooksAsync(urls[1]);
            await BooksAsync(urls[0]);

            var refused = await Assert.ThrowsAsync<PostgresException>(async () =>
            {
                await using var connection = new NpgsqlConnection(old + ";Pooling=false");
                await connection.OpenAsync();
            });
            Assert.Equal(PostgresErrorCodes.InvalidPassword, refused.SqlState);
            await using var alice = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(super) { Database = "alice" }.ConnectionString);
            Assert.Equal(["alice"], await alice.QueryAsync<string>("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public';"));
            Assert.Equal(5, await alice.ExecuteScalarAsync<long>("SELECT count(*) FROM rides;"));
        }
        finally
        {
            foreach (var instance in instances) await instance.DisposeAsync();
            await cluster.RunAsync("reset");
        }
    }

    private static Dictionary<string, string> Environment(string connection, string url) =>
        ProductionDispatch.Environment([new("Database__Provider", "Postgres"), new("Database__ConnectionString", connection)], url, "http://127.0.0.1:9", TwilioToken);

    /// <summary>A caller presses 1 at the pickup menu and hears a code: the instance wrote the ride through its own login.</summary>
    private static async Task BooksAsync(string url)
    {
        List<KeyValuePair<string, string>> form =
        [
            new("CallSid", "CA" + Guid.NewGuid().ToString("N")), new("From", CampusNumbers.NewCaller()), new("To", CampusNumbers.Hotline), new("Digits", "1"),
        ];
        const string step = "/twilio/pickup?lang=fr&try=1";
        using var http = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Post, url + step) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioWebhookSigner.Header, TwilioWebhookSigner.Sign(TwilioToken, url + step, form));
        var answer = await http.SendAsync(request);
        var twiml = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.StatusCode == HttpStatusCode.OK && twiml.Contains("code est", StringComparison.Ordinal), $"{url} did not book:\n{twiml}");
    }

    /// <summary>libpq's form of an Npgsql connection string, for psql.</summary>
    private static string Libpq(string connection)
    {
        var c = new NpgsqlConnectionStringBuilder(connection);
        return $"host={c.Host} port={c.Port} dbname={c.Database} user={c.Username} password={c.Password}";
    }
}

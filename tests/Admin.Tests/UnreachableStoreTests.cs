using System.Net;
using Alice.Accounts;
using Alice.Admin.Tests.Support;
using Dapper;
using Npgsql;

namespace Alice.Admin.Tests;

/// <summary>
/// A panel whose own store cannot be reached for a while (locked by another process, or its database
/// refusing connections): the login says so on a page in the reader's language, never raw JSON, never a 500.
/// </summary>
public class UnreachableStoreTests(Panel panel) : IClassFixture<Panel>
{
    [Fact]
    public async Task While_the_panels_store_cannot_be_reached_the_login_answers_503_with_a_page_in_the_readers_language()
    {
        using var organiser = await Staff.EnrolledAsync(panel, Roles.Organiser);
        organiser.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("nl-BE");
        var loginPage = await organiser.Client.GetStringAsync("/account/login");

        HttpResponseMessage answer;
        await using (await OutOfReachAsync())
            answer = await organiser.PostAsync("/account/login", loginPage, new() { ["name"] = organiser.Name, ["password"] = Staff.Password, ["returnUrl"] = "" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
        Assert.Equal("text/html", answer.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(answer.Headers.RetryAfter);
        var page = WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync());
        Assert.Contains("<html lang=\"nl\"", page);
        Assert.Contains("Het paneel kan zijn gegevens nu niet bereiken", page);
        // Reachable again: the same login goes through.
        Assert.Equal(HttpStatusCode.Redirect, (await organiser.LogInAsync(organiser.Name)).StatusCode);
    }

    /// <summary>
    /// The panel's store out of reach until disposed: on SQLite held under an exclusive lock by another
    /// connection; on PostgreSQL its database refusing connections, those open cut.
    /// </summary>
    private async Task<IAsyncDisposable> OutOfReachAsync()
    {
        if (!TestDatabase.IsPostgres)
        {
            var holder = panel.Database.OpenPanel();
            await holder.ExecuteAsync("BEGIN EXCLUSIVE;");
            return holder;
        }
        var name = new NpgsqlConnectionStringBuilder(panel.Database.PanelConnectionString).Database;
        var server = new NpgsqlConnection(Environment.GetEnvironmentVariable("ALICE_POSTGRES_SUPER"));
        await server.OpenAsync();
        await server.ExecuteAsync($"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS false;");
        await server.ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @name;", new { name });
        NpgsqlConnection.ClearAllPools();
        return new Restore(async () =>
        {
            await server.ExecuteAsync($"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS true;");
            await server.DisposeAsync();
            NpgsqlConnection.ClearAllPools();
        });
    }

    private sealed class Restore(Func<Task> restore) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await restore();
    }
}

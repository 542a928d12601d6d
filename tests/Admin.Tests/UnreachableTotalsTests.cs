using System.Net;
using Alice.Accounts;
using Alice.Admin.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Npgsql;

namespace Alice.Admin.Tests;

/// <summary>A panel whose published totals cannot be read (the service not started yet, its database not made): a page that says so, never raw JSON.</summary>
public class UnreachableTotalsTests(Panel panel) : IClassFixture<Panel>
{
    [Fact]
    public async Task Before_the_service_has_made_its_database_the_totals_answer_503_with_a_page_that_says_so()
    {
        string unreachable;
        if (TestDatabase.IsPostgres)
            unreachable = new NpgsqlConnectionStringBuilder(panel.Database.PublishedConnectionString) { Database = "alice_not_made_yet" }.ConnectionString;
        else
        {
            var file = Path.Combine(panel.Folder, "being-made.db");
            await File.WriteAllTextAsync(file, "not a database yet");
            unreachable = $"Data Source={file}";
        }
        using var early = panel.WithWebHostBuilder(b => b.UseSetting("Database:PublishedConnectionString", unreachable));
        using var organiser = await Staff.LoggedInAsync(early, Roles.Organiser);

        foreach (var path in new[] { "/totals", "/totals/report", "/totals.csv" })
        {
            var answer = await organiser.Client.GetAsync(path);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
            Assert.NotEqual("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(answer.Headers.RetryAfter);
            Assert.Contains("Les chiffres ne peuvent pas être lus pour l'instant", WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync()));
        }
    }
}

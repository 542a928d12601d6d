using System.Net;
using Alice.Accounts;
using Alice.Admin.Tests.Support;

namespace Alice.Admin.Tests;

/// <summary>A panel started before the service has published anything (or ever run): every page answers, saying nothing is published yet.</summary>
public class EmptyPanelTests(Panel panel) : IClassFixture<Panel>
{
    [Theory]
    [InlineData("/totals")]
    [InlineData("/totals?by=month")]
    [InlineData("/totals?by=year")]
    [InlineData("/totals/report")]
    public async Task Before_any_publication_the_pages_say_nothing_is_published_yet(string path)
    {
        using var organiser = await Staff.LoggedInAsync(panel, Roles.Organiser);

        var answer = await organiser.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("Rien de publié pour l'instant", WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Before_any_publication_the_csv_holds_the_headers_and_a_year_of_zeros()
    {
        using var organiser = await Staff.LoggedInAsync(panel, Roles.Organiser);

        var csv = await organiser.Client.GetStringAsync("/totals.csv");

        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("Période,Appels reçus,Trajets réservés,dont par SMS,", lines[0]);
        // Zeros are counted and shown; the minutes of no ride are not a number: empty, and named in the flag column.
        Assert.Equal("Total de l'année,0,0,0,0,0,0,0,0,0,,,,\"Attente médiane (min); Attente, 9 sur 10 sous (min); Trajet médian (min)\"", lines[1]);
    }
}

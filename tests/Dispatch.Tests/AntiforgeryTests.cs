using System.Net;
using Alice.Accounts;
using Alice.Dispatch.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Alice.Dispatch.Tests;

/// <summary>
/// Every state-changing endpoint of the staff pages refuses a post without its antiforgery token, whether
/// it reads a form or not. The endpoints are read from the service itself, so one added later is checked
/// too; a post endpoint outside the staff pages must be one of the signed webhooks.
/// </summary>
public class AntiforgeryTests(Hotline hotline) : IClassFixture<Hotline>
{
    private DispatchApp App => hotline.App;

    /// <summary>Posts that are not a person's: Twilio's and the partners' webhooks, each checked by its own signature.</summary>
    private static readonly string[] SignedWebhooks = ["/twilio/", "/partners/"];

    private List<string> PostEndpoints() => App.Services.GetRequiredService<EndpointDataSource>().Endpoints
        .OfType<RouteEndpoint>()
        .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains("POST") == true)
        .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
        .ToList();

    [Fact]
    public void Every_post_endpoint_is_a_staff_page_or_a_signed_webhook()
    {
        var posts = PostEndpoints();
        Assert.Contains("/centre/alerts/{id}/acknowledge", posts);
        Assert.Contains("/account/logout", posts);
        Assert.All(posts, path => Assert.True(
            path.StartsWith("/account/") || path.StartsWith("/centre/") || path.StartsWith("/partner/") || SignedWebhooks.Any(path.StartsWith), path));
    }

    [Fact]
    public async Task Every_staff_post_without_its_antiforgery_token_is_refused_with_or_without_a_form()
    {
        using var nurse = await Staff.LoggedInAsync(App, Roles.Centre);
        using var dispatcher = await Staff.LoggedInAsync(App, Roles.Partner); // the partner page's posts are a dispatcher's
        var staffPosts = PostEndpoints().Where(p => !SignedWebhooks.Any(p.StartsWith)).ToList();
        Assert.True(staffPosts.Count >= 8, string.Join(", ", staffPosts));

        foreach (var path in staffPosts.Select(p => System.Text.RegularExpressions.Regex.Replace(p, "{[^}]+}", "no-such-id")))
        {
            var person = path.StartsWith("/partner/") ? dispatcher : nurse;
            var emptyForm = await person.Client.PostAsync(path, new FormUrlEncodedContent([]));
            var noBody = await person.Client.PostAsync(path, null);
            Assert.True(emptyForm.StatusCode == HttpStatusCode.BadRequest, $"{path} with a form: {emptyForm.StatusCode}");
            Assert.True(noBody.StatusCode == HttpStatusCode.BadRequest, $"{path} without a form: {noBody.StatusCode}");
        }
        // Logging out without the token did not log the nurse out.
        Assert.Equal(HttpStatusCode.OK, (await nurse.Client.GetAsync("/centre")).StatusCode);
    }
}

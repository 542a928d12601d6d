using System.Net;
using Alice.Dispatch.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Tests;

/// <summary>Configuration is checked before the service takes a call; the development phone exists only in Development.</summary>
public class StartupTests(PartnerSimulatorHost partner) : IClassFixture<PartnerSimulatorHost>
{
    [Fact]
    public async Task Production_without_its_secrets_refuses_to_start_and_names_each_missing_setting()
    {
        await using var app = new DispatchApp(partner, settings: new()
        {
            ["Twilio:AuthToken"] = "",
            ["Twilio:PublicBaseUrl"] = "",
            ["Privacy:CallKeySecret"] = "",
            ["DataProtection:KeyEncryptionKey"] = "",
            ["Partners:Providers:0:Secret"] = "short",
            ["Twilio:AccountSid"] = "",
        });
        var message = AllMessages(await StartFailureAsync(app));
        Assert.Contains("Twilio:AuthToken is required", message);
        Assert.Contains("DataProtection:KeyEncryptionKey is required outside Development", message);
        Assert.Contains("Twilio:PublicBaseUrl must be", message);
        Assert.Contains("Privacy:CallKeySecret must be set", message);
        Assert.Contains("Partners:Providers:0:Secret must be at least 32 characters", message);
        Assert.Contains("Twilio:AccountSid is required", message);
    }

    /// <summary>Every number setting the tests give the service a number of its own for: each is shipped with a placeholder.</summary>
    public static TheoryData<string> NumberSettings => [.. CampusNumbers.Numbers.Select(s => s.Key)];

    [Theory]
    [MemberData(nameof(NumberSettings))]
    public async Task Production_with_the_placeholder_number_appsettings_ships_refuses_to_start_and_names_the_setting(string setting)
    {
        var shipped = new ConfigurationBuilder().AddJsonFile(Path.Combine(Repository.Dispatch, "appsettings.json")).Build()[setting];
        await using var app = new DispatchApp(partner, settings: new() { [setting] = shipped });
        Assert.Contains($"{setting} holds a placeholder number the project ships (+32 2 555 01xx, +32 470 55 01xx); " +
            $"outside Development set the real one ({setting.Replace(":", "__")}).", AllMessages(await StartFailureAsync(app)));
    }

    /// <summary>Every pickup point's instructions for the driver: each is shipped marked for the operator to confirm.</summary>
    public static TheoryData<string> PickupInstructionSettings => [.. CampusNumbers.PickupInstructions.Select(s => s.Key)];

    [Theory]
    [MemberData(nameof(PickupInstructionSettings))]
    public async Task Production_with_a_pickup_point_still_to_confirm_refuses_to_start_and_names_the_setting(string setting)
    {
        var shipped = new ConfigurationBuilder().AddJsonFile(Path.Combine(Repository.Dispatch, "appsettings.json")).Build()[setting];
        Assert.Contains("operator to confirm", shipped);
        await using var app = new DispatchApp(partner, settings: new() { [setting] = shipped });
        var message = AllMessages(await StartFailureAsync(app));
        Assert.Contains($"{setting} is the placeholder the project ships", message);
        Assert.Contains(setting.Replace(":", "__"), message);
    }

    [Fact]
    public async Task Development_keeps_the_pickup_points_still_to_confirm()
    {
        await using var app = new DispatchApp(partner, environment: "Development", settings: new(DevelopmentToken.Concat(
            CampusNumbers.PickupInstructions.Select(s => KeyValuePair.Create(s.Key, new ConfigurationBuilder()
                .AddJsonFile(Path.Combine(Repository.Dispatch, "appsettings.json")).Build()[s.Key])))));
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync("/readyz")).StatusCode);
    }

    [Theory]
    [InlineData("Hotline:Campuses:0:HotlineNumber", "0800 ALICE", "HotlineNumber must be E.164")]
    [InlineData("Hotline:Campuses:0:PickupPoints:0:Names:nl", "", "Names:nl is missing")]
    [InlineData("Twilio:PublicBaseUrl", "https://alice.example/behind/a/path", "no path or query")]
    [InlineData("Twilio:PublicBaseUrl", "http://alice.example.org", "Twilio:PublicBaseUrl must be https outside Development")]
    [InlineData("Partners:Providers:0:BaseUrl", "ftp://taxi", "BaseUrl must be an absolute http(s) URL")]
    [InlineData("Partners:Providers:0:BaseUrl", "http://taxi.example/api", "Partners:Providers:0:BaseUrl must be https outside Development")]
    [InlineData("Partners:Providers:0:BaseUrl", "http://192.168.1.20:8080", "Partners:Providers:0:BaseUrl must be https outside Development")]
    [InlineData("Partners:Providers:0:AcceptV1SignaturesUntil", "2099-01-01T00:00:00Z", "Partners:Providers:0:AcceptV1SignaturesUntil must be at most 180 days ahead")]
    [InlineData("DataProtection:KeyEncryptionKey", "dG9vIHNob3J0", "exactly 32 random bytes")]
    [InlineData("Twilio:Voices:nl", "Polly.Amy-Neural", "Twilio:Voices:nl is Polly.Amy-Neural, which is not known to speak nl-BE")]
    [InlineData("Twilio:Voices:fr", "man", "Twilio:Voices:fr is man, which is not known to speak fr-BE")]
    [InlineData("Twilio:Voices:fr", "", "Twilio:Voices:fr is missing")]
    [InlineData("Twilio:RestBaseUrl", "http://api.twilio.example", "Twilio:RestBaseUrl must be an https URL")]
    [InlineData("Hotline:Campuses:0:OnCallNumber", "", "OnCallNumber must be E.164")]
    [InlineData("Hotline:Campuses:0:EscalationNumber", CampusNumbers.OnCall, "another phone than OnCallNumber")]
    [InlineData("Centre:EscalateAfterSeconds", "1", "Centre:EscalateAfterSeconds must be between 5 and 3600")]
    [InlineData("Server:MaxConcurrentConnections", "16", "Server:MaxConcurrentConnections must be between 64 and 100000")]
    [InlineData("Server:RequestHeadersTimeoutSeconds", "60", "a slow sender is cut off in seconds, not a minute")]
    [InlineData("Server:MinRequestBodyBytesPerSecond", "0", "0 would let a body trickle forever")]
    public async Task A_wrong_setting_stops_the_start_with_a_message_that_says_which(string key, string value, string expected)
    {
        await using var app = new DispatchApp(partner, settings: new() { [key] = value });
        Assert.Contains(expected, AllMessages(await StartFailureAsync(app)));
    }

    [Theory]
    [InlineData("", "30", "Partners:Providers:0:DispatchPhone must be the dispatch office's number in E.164")]
    [InlineData("+32470550150", "10", "Partners:Providers:0:DispatchPhone holds a placeholder number")]
    [InlineData(CampusNumbers.OnCall, "30", "AcceptWithinSeconds must be positive and below Partners:BudgetPerPartnerSeconds (30)")]
    [InlineData(CampusNumbers.OnCall, "0", "AcceptWithinSeconds must be positive and below")]
    public async Task A_console_partner_without_a_dispatch_phone_to_ring_in_time_stops_the_start(string phone, string acceptWithin, string expected)
    {
        await using var app = new DispatchApp(partner, settings: new()
        {
            ["Partners:Providers:0:Mode"] = "Console", ["Partners:Providers:0:DispatchPhone"] = phone, ["Partners:Providers:0:AcceptWithinSeconds"] = acceptWithin,
        });
        Assert.Contains(expected, AllMessages(await StartFailureAsync(app)));
    }

    [Fact]
    public async Task Production_on_a_database_older_than_the_release_refuses_to_start_and_names_the_migrate_command()
    {
        await using var app = new DispatchApp(partner, settings: new() { ["Database:MigrateOnStart"] = "false" });
        var error = await StartFailureAsync(app);
        Assert.Contains("Run `dotnet Alice.Dispatch.dll migrate`", error.Message);

        await using (var tool = app.BuildHost()) await Storage.Migrator.MigrateAllAsync(tool.Services, CancellationToken.None);
        var response = await app.CreateClient().GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Ready_means_the_database_answers_and_the_job_scheduler_runs()
    {
        await using var app = new DispatchApp(partner);
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);

        var scheduler = await app.Services.GetRequiredService<Quartz.ISchedulerFactory>().GetScheduler();
        await scheduler.Standby();
        var response = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode); // alive all the same
        await scheduler.Start();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
    }

    /// <summary>Starts the service outside the test server and returns why it would not start.</summary>
    private static async Task<Exception> StartFailureAsync(DispatchApp app)
    {
        await using var host = app.BuildHost();
        return await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
    }

    [Theory]
    [InlineData("GET", "/dev/phone")]
    [InlineData("GET", "/dev/phone/campuses")]
    [InlineData("POST", "/dev/phone/run?keys=-1")]
    [InlineData("POST", "/dev/phone/calls")]
    public async Task The_development_phone_is_absent_in_production(string method, string path)
    {
        await using var app = new DispatchApp(partner);
        var response = await app.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task In_development_the_phone_page_and_its_command_line_place_a_call()
    {
        await using var app = new DispatchApp(partner, environment: "Development", settings: DevelopmentToken);
        var client = app.CreateClient();
        var page = await client.GetAsync("/dev/phone");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("development phone", await page.Content.ReadAsStringAsync());

        await client.WithPageTokenAsync();
        var transcript = await (await client.PostAsync("/dev/phone/run?keys=-3", null)).Content.ReadAsStringAsync();
        Assert.Contains("Caller: presses 3", transcript);
        Assert.Matches(@"Votre code est : [1-9], [1-9], [1-9], [1-9]\.", transcript);
        Assert.Contains("(call ended)", transcript);
    }

    [Theory]
    [InlineData("/dev/phone/run?keys=-1", null)]
    [InlineData("/dev/phone/calls", "{}")]
    public async Task In_development_a_post_to_the_phone_without_its_pages_token_is_refused_with_400_and_places_no_call(string path, string? json)
    {
        await using var app = new DispatchApp(partner, environment: "Development", settings: DevelopmentToken);
        var response = await app.CreateClient().PostAsync(path, json is null ? null : new StringContent(json, null, "application/json"));
        await AssertRefusedAsync(app, response);
    }

    [Fact]
    public async Task In_development_a_post_with_the_token_of_another_browsers_page_is_refused_with_400_and_places_no_call()
    {
        await using var app = new DispatchApp(partner, environment: "Development", settings: DevelopmentToken);
        var mine = await app.CreateClient().WithPageTokenAsync();
        var theirs = (await app.CreateClient().WithPageTokenAsync()).DefaultRequestHeaders.Single();
        mine.DefaultRequestHeaders.Remove(theirs.Key);
        mine.DefaultRequestHeaders.Add(theirs.Key, theirs.Value);
        await AssertRefusedAsync(app, await mine.PostAsync("/dev/phone/run?keys=-1", null));
    }

    /// <summary>The phone signs with the service's Twilio token: in these tests, the public development one.</summary>
    private static Dictionary<string, string?> DevelopmentToken => new() { ["Twilio:AuthToken"] = "development-only-twilio-token" };

    [Theory]
    [InlineData("GET", "/dev/phone")]
    [InlineData("POST", "/dev/phone/run?keys=-1")]
    public async Task In_development_with_a_real_twilio_token_the_phone_is_absent_and_the_start_says_why(string method, string path)
    {
        await using var app = new DispatchApp(partner, environment: "Development", settings: new() { ["Twilio:AuthToken"] = "a-real-token-of-the-account" });
        var response = await app.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains(app.Logs.Entries, e => e.Contains("The development phone (/dev/phone) is off: Twilio:AuthToken is not the development token"));
        Assert.DoesNotContain("a-real-token-of-the-account", app.Logs.AllText);
        Assert.Empty(await app.RidesInDatabase());
    }

    [Fact]
    public async Task Production_without_a_database_setting_refuses_to_start_rather_than_take_developments_file()
    {
        await using var app = new DispatchApp(partner);
        // Refused as the host is built (the key ring is read from the database then) or as it starts.
        var failure = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var host = app.BuildHostWithout("Database:Provider", "Database:ConnectionString");
            await host.StartAsync();
        });
        Assert.Contains("Database:ConnectionString is required outside Development", AllMessages(failure));
    }

    private static async Task AssertRefusedAsync(DispatchApp app, HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("The development phone's token is missing or wrong", await response.Content.ReadAsStringAsync());
        Assert.Empty(await app.RidesInDatabase());
    }

    [Fact]
    public async Task The_health_endpoint_answers_without_a_signature()
    {
        await using var app = new DispatchApp(partner);
        var response = await app.CreateClient().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Every validation failure, however the host wraps them (one section fails alone, several in an AggregateException).</summary>
    private static string AllMessages(Exception e)
    {
        var failures = (e is AggregateException all ? all.InnerExceptions : [e]).OfType<OptionsValidationException>().SelectMany(o => o.Failures).ToList();
        Assert.True(failures.Count > 0, "not a validation failure: " + e);
        return string.Join("\n", failures);
    }
}

using System.Text.RegularExpressions;
using Alice.Signatures;

namespace Alice.EndToEnd.Tests;

/// <summary>
/// The service as the internet meets it: the dispatch service in Production on its own fresh database,
/// the admin panel beside it on its own store (reading the service's published totals), and the simulators. The partner confirms bookings but
/// reports nothing afterwards, so a ride stays where a test put it. One ride is booked before any test,
/// and one account invited: what is stored, so the suites can check that nothing of it is lost.
/// </summary>
public sealed partial class HostileService : RunningService
{
    public const string TwilioToken = "hostile-tests-twilio-auth-token";
    /// <summary>The panel's own key-encryption key (never the service's).</summary>
    public const string PanelKeyEncryptionKey = "aG9zdGlsZS1wYW5lbC1rZXktZW5jcnlwdGlvbi1rZXk=";
    /// <summary>A second partner, never reached (its address listens nowhere): its secret signs the cross-partner forgeries.</summary>
    public const string SecondPartner = "second";
    public const string SecondPartnerSecret = "hostile-tests-second-partner-secret-0123456789";

    /// <summary>The public URL Twilio signs: a host name (not an address), so a change of its letter case is a forgery to try.</summary>
    public string PublicUrl => DispatchUrl.Replace("127.0.0.1", "localhost");
    public string AdminUrl { get; } = $"http://127.0.0.1:{Repo.FreePort()}";
    public HostProcess Admin { get; private set; } = null!;

    /// <summary>The booking code of the ride booked before the tests.</summary>
    public string SeededCode { get; private set; } = "";

    protected override Dictionary<string, string> PartnerSettings => new()
    {
        ["Simulator__Faults__AcceptedAfterMs"] = "600000",
        ["Simulator__Faults__DriverArrivedAfterMs"] = "600000",
        ["Simulator__Faults__OnBoardAfterMs"] = "600000",
        ["Simulator__Faults__DroppedOffAfterMs"] = "600000",
    };

    protected override Dictionary<string, string> DispatchSettings => new(ProductionDispatch.Environment([], PublicUrl, PartnerUrl, TwilioToken, TwilioUrl, PoliceUrl))
    {
        ["Partners__Providers__1__Name"] = SecondPartner,
        ["Partners__Providers__1__BaseUrl"] = "http://127.0.0.1:9",
        ["Partners__Providers__1__Secret"] = SecondPartnerSecret,
        ["Partners__Providers__1__Account"] = "hostile-tests",
        // The login forms are fuzzed far past the real limit: the handlers behind it are what is tried.
        ["Accounts__LoginAttemptsPerMinute"] = "1000",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await CommandAsync("accounts", "create-operator", "olivia");
        SeededCode = await BookAsync("CA" + Guid.NewGuid().ToString("N"));
        await PartnerLedger.WaitForAsync(PartnerUrl, SeededCode);
        // The panel on its own store (its own migrate command), reading the service's published totals.
        var panel = new Dictionary<string, string>(Database.PanelEnvironmentVariables)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DataProtection__KeyEncryptionKey"] = PanelKeyEncryptionKey,
            ["Admin__PublicBaseUrl"] = "https://stats.alice.test",
            ["Accounts__LoginAttemptsPerMinute"] = "1000",
        };
        await HostProcess.RunAsync("src/Admin", "Alice.Admin", ["migrate"], panel);
        Admin = await HostProcess.StartAsync("src/Admin", "Alice.Admin", AdminUrl, panel);
    }

    public override async Task DisposeAsync()
    {
        await Admin.DisposeAsync();
        await base.DisposeAsync();
    }

    [GeneratedRegex(@"code est : ([1-9]), ([1-9]), ([1-9]), ([1-9])\.")]
    private static partial Regex CodeLine();

    /// <summary>A caller's form as Twilio posts it to the hotline (the number is made up).</summary>
    public static List<KeyValuePair<string, string>> CallForm(string callSid, string? digits = null)
    {
        List<KeyValuePair<string, string>> form =
        [
            new("CallSid", callSid), new("AccountSid", "AC0123456789abcdef0123456789abcdef"), new("From", "+32470555111"),
            new("To", CampusNumbers.Hotline), new("Direction", "inbound"), new("CallStatus", "in-progress"),
        ];
        if (digits is not null) form.Add(new("Digits", digits));
        return form;
    }

    /// <summary>Posts a webhook signed as Twilio signs it for the public URL; the answer.</summary>
    public async Task<HttpResponseMessage> PostSignedAsync(string pathAndQuery, List<KeyValuePair<string, string>> form)
    {
        using var http = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Post, DispatchUrl + pathAndQuery) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioWebhookSigner.Header, TwilioWebhookSigner.Sign(TwilioToken, PublicUrl + pathAndQuery, form));
        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>The caller presses the first pickup point; the booking code they hear.</summary>
    public async Task<string> BookAsync(string callSid)
    {
        var twiml = await (await PostSignedAsync("/twilio/pickup?lang=fr&try=1", CallForm(callSid, "1"))).Content.ReadAsStringAsync();
        var match = CodeLine().Match(twiml);
        Assert.True(match.Success, twiml);
        return string.Concat(match.Groups.Values.Skip(1).Select(g => g.Value));
    }

    /// <summary>Rows in the rides table.</summary>
    public async Task<long> RideCountAsync()
    {
        await using var db = Database.Open();
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(db, "SELECT COUNT(*) FROM rides;");
    }

    /// <summary>
    /// Every table's rows, but those that move on their own clock whatever the requests do: Quartz's (its
    /// triggers and check-ins; what it schedules shows in the service's tables anyway) and the queue of
    /// Twilio call records to delete (a job works it, retrying until Twilio confirms, and empties it).
    /// </summary>
    public async Task<Dictionary<string, string[]>> StoredAsync() =>
        (await Database.DumpTablesAsync())
            .Where(t => !t.Name.StartsWith("qrtz_", StringComparison.OrdinalIgnoreCase) && t.Name != "twilio_deletions")
            .ToDictionary(t => t.Name, t => t.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToArray());
}

/// <summary>The hostile-traffic and forgery suites share one set of processes: starting five takes longer than either suite's checks.</summary>
[CollectionDefinition(Name)]
public sealed class HostileCollection : ICollectionFixture<HostileService>
{
    public const string Name = "Hostile traffic";
}

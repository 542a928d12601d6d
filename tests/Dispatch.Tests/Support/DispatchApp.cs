using System.Net.Http.Headers;
using Alice.Dispatch.DevPhone;
using Alice.Dispatch.Telephony;
using Alice.Signatures;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Alice.Dispatch.Tests.Support;

/// <summary>
/// The dispatch service in-process, on its own SQLite file in a temporary folder, booking with a real
/// partner simulator over HTTP, with every log entry captured. Intent methods read as the tests speak.
/// </summary>
public sealed class DispatchApp : WebApplicationFactory<Program>
{
    public const string AuthToken = "test-twilio-auth-token";
    public const string PublicBaseUrl = "https://alice.example.test";
    public const string CallKeySecret = "test-call-key-secret-0123456789-abcdefghij";
    /// <summary>Base64 of 32 bytes: the key that encrypts the Data Protection key ring at rest.</summary>
    public const string KeyEncryptionKey = "dGVzdC1rZXktZW5jcnlwdGlvbi1rZXktMzItYnl0ZXM=";
    public const string AlmaHotline = CampusNumbers.Hotline;
    public const string AlmaHumanLine = CampusNumbers.HumanLine;

    private readonly string _environment;
    private readonly Dictionary<string, string?> _settings;

    internal DispatchApp(PartnerSimulatorHost partner, string environment = "Production", Dictionary<string, string?>? settings = null)
        : this([partner], environment, settings) { }

    /// <summary>The service with these partners, in this order of preference.</summary>
    internal DispatchApp(IReadOnlyList<PartnerSimulatorHost> partners, string environment = "Production", Dictionary<string, string?>? settings = null)
        : this(partners, environment, settings, folder: null, database: null) { }

    private DispatchApp(IReadOnlyList<PartnerSimulatorHost> partners, string environment, Dictionary<string, string?>? settings, string? folder, TestDatabase? database)
    {
        _environment = environment;
        Folder = folder ?? Directory.CreateTempSubdirectory("alice-test-").FullName;
        Database = database ?? new TestDatabase(Folder);
        _settings = new(Database.Settings.Concat(CampusNumbers.Settings))
        {
            ["DataProtection:KeyEncryptionKey"] = KeyEncryptionKey,
            ["Twilio:AuthToken"] = AuthToken,
            ["Twilio:PublicBaseUrl"] = PublicBaseUrl,
            ["Privacy:CallKeySecret"] = CallKeySecret,
            // Alerts reach a shared Twilio simulator unless a test brings its own (settings below).
            ["Twilio:AccountSid"] = TwilioSimulatorHost.AccountSid,
            ["Twilio:RestBaseUrl"] = TwilioSimulatorHost.Shared.GetAwaiter().GetResult().BaseUrl,
            // Police requests reach a shared receiver unless a test brings its own.
            ["Police:Zones:0:WebhookUrl"] = PoliceReceiverHost.Shared.GetAwaiter().GetResult().Url,
            ["Police:Zones:0:Secret"] = PoliceReceiverHost.Secret,
            // Tests log in far more often than a person; the limit itself is tested on its own.
            ["Accounts:LoginAttemptsPerMinute"] = "1000",
        };
        for (var i = 0; i < partners.Count; i++)
        {
            _settings[$"Partners:Providers:{i}:Name"] = partners[i].Name;
            _settings[$"Partners:Providers:{i}:BaseUrl"] = partners[i].BaseUrl;
            _settings[$"Partners:Providers:{i}:Secret"] = PartnerSimulatorHost.Secret;
            _settings[$"Partners:Providers:{i}:Account"] = "alice-tests";
        }
        foreach (var (key, value) in settings ?? []) _settings[key] = value;
    }

    public string Folder { get; }
    public TestDatabase Database { get; }

    /// <summary>False once a successor took the database over: disposing this one then leaves it.</summary>
    private bool _ownsDatabase = true;

    /// <summary>
    /// Stops this service and starts it again on the same database, configured with these partners (an
    /// operator's restart with a changed configuration). The new one owns the database from then on.
    /// </summary>
    internal async Task<DispatchApp> RestartAsync(IReadOnlyList<PartnerSimulatorHost> partners, Dictionary<string, string?>? settings = null)
    {
        await StopAsync();
        _ownsDatabase = false;
        await DisposeAsync();
        var next = new DispatchApp(partners, _environment, settings, Folder, Database);
        next.CreateClient().Dispose();
        return next;
    }
    /// <summary>
    /// Another service on this one's database, in another environment or with other settings (the same
    /// partners): say, Production started on a database Development used. This one keeps the database.
    /// </summary>
    internal DispatchApp OnTheSameDatabase(IReadOnlyList<PartnerSimulatorHost> partners, string environment, Dictionary<string, string?>? settings = null) =>
        new(partners, environment, settings, Folder, Database) { _ownsDatabase = false };

    public LogCapture Logs { get; } = new();

    /// <summary>Services a test builds itself, in place of the service's own (applied after the service's registrations).</summary>
    internal Action<IServiceCollection>? Replacing { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs).AddFilter<LogCapture>(null, LogLevel.Trace));
        // The development phone calls the service's own loopback address; in-process that is the test server,
        // which listens nowhere: it is given a loopback address to report, and its handler serves the calls.
        builder.ConfigureServices(services => services
            .AddSingleton<IStartupFilter, ListensOnLoopback>()
            .AddHttpClient(DevPhoneEndpoints.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => Server.CreateHandler()));
        if (Replacing is { } replace) builder.ConfigureTestServices(replace);
    }

    private sealed class ListensOnLoopback : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.ServerFeatures.Set<IServerAddressesFeature>(new ServerAddressesFeature { Addresses = { "http://127.0.0.1:5080" } });
            next(app);
        };
    }

    /// <summary>
    /// The same service, built but not started, outside the test server: for start-up failures, which the test
    /// server sometimes reported as an ObjectDisposedException of its own instead of the failure itself.
    /// </summary>
    internal WebApplication BuildHost() => BuildHostWithout();

    /// <summary>As <see cref="BuildHost"/>, with these settings not given at all (appsettings*.json still apply).</summary>
    internal WebApplication BuildHostWithout(params string[] keys) => DispatchHost.Build([
        .. _settings.Where(kv => !keys.Contains(kv.Key)).Select(kv => $"--{kv.Key}={kv.Value}"),
        "--environment", _environment, "--contentRoot", Repository.Dispatch, "--urls", "http://127.0.0.1:0"]);

    /// <summary>A caller dialling the Alma hotline (or another number) from the given phone, else a phone of their own; pauses last a tenth of their time.</summary>
    internal SimulatedCall Call(string? from = null, string to = AlmaHotline) =>
        new(CreateClient(), PublicBaseUrl, AuthToken, from ?? CampusNumbers.NewCaller(), to) { PauseScale = 0.1 };

    /// <summary>Posts a webhook exactly as Twilio would (signed over the public URL), or with the signature given.</summary>
    internal async Task<HttpResponseMessage> PostWebhook(string pathAndQuery, IEnumerable<KeyValuePair<string, string>> form, string? signature = null)
    {
        var fields = form.ToList();
        var request = new HttpRequestMessage(HttpMethod.Post, pathAndQuery) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add(TwilioWebhookSigner.Header, signature ?? SignatureFor(pathAndQuery, fields));
        return await CreateClient().SendAsync(request);
    }

    /// <summary>The signature Twilio would send for this path and form (or, given another token, a forger would).</summary>
    internal static string SignatureFor(string pathAndQuery, IEnumerable<KeyValuePair<string, string>> form, string token = AuthToken) =>
        TwilioWebhookSigner.Sign(token, PublicBaseUrl + pathAndQuery, form);

    /// <summary>What Twilio posts for a call at a step of the menu.</summary>
    internal static List<KeyValuePair<string, string>> TwilioForm(string callSid, string? from = null, string? to = AlmaHotline, string? digits = null)
    {
        from ??= CampusNumbers.CallerFor(callSid);
        List<KeyValuePair<string, string>> form =
        [
            new("AccountSid", "AC00000000000000000000000000000000"), new("CallSid", callSid), new("From", from),
            new("Caller", from), new("CallStatus", "in-progress"), new("Direction", "inbound"), new("ApiVersion", "2010-04-01"),
        ];
        if (to is not null) form.Add(new("To", to));
        if (digits is not null) form.Add(new("Digits", digits));
        return form;
    }

    /// <summary>Posts a partner event as the partner would: JSON, signed (v2) with the partner's secret (or as given).</summary>
    internal async Task<HttpResponseMessage> PostPartnerEvent(string partner, object e, long? timestamp = null, string? secret = null, string? signature = null)
    {
        var body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(e, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
        var path = $"/partners/{partner}/events";
        return await PostSignedEvent(path, body, signature ?? AliceSignature.Create(secret ?? PartnerSimulatorHost.Secret,
            timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds(), EventTarget(path), body));
    }

    /// <summary>Where a partner's event goes, as its signature names it.</summary>
    internal static AliceSignature.Target EventTarget(string path) => new(AliceSignature.Direction.PartnerToAlice, "POST", path);

    /// <summary>Posts these bytes to an events path with this X-Alice-Signature, whatever they are.</summary>
    internal async Task<HttpResponseMessage> PostSignedEvent(string path, byte[] body, string signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add(AliceSignature.Header, signature);
        return await CreateClient().SendAsync(request);
    }

    /// <summary>The ride as the service holds it now.</summary>
    internal Task<Rides.Ride?> Ride(string id) => Services.GetRequiredService<Rides.RideStore>().FindAsync(id, CancellationToken.None);

    /// <summary>Waits until the ride satisfies the condition (the booking job and events run in the background).</summary>
    internal async Task<Rides.Ride> RideWhen(string id, Func<Rides.Ride, bool> condition, TimeSpan? within = null) =>
        (await Eventually.Value(() => Ride(id), ride => ride is not null && condition(ride), $"the ride {id} got where the test waits for it", within ?? TimeSpan.FromSeconds(15)))!;

    /// <summary>The id of the ride whose code the caller heard (waits for the code, and for the ride in the database).</summary>
    internal async Task<string> RideOf(SimulatedCall call) =>
        (await Eventually.Value(async () => call.CodeHeard() is { } code ? (await RidesInDatabase()).FirstOrDefault(r => r.BookingCode == code).Id : null,
            id => id is not null, "the caller heard a code, and its ride is in the database", TimeSpan.FromSeconds(5)))!;

    /// <summary>Books a ride the way a caller does (a key press at the pickup menu) and returns its id.</summary>
    internal async Task<string> BookRide(string digits = "1")
    {
        var response = await PostWebhook("/twilio/pickup?lang=fr&try=1", TwilioForm("CA" + Guid.NewGuid().ToString("N"), digits: digits));
        var twiml = await response.Content.ReadAsStringAsync();
        var code = System.Text.RegularExpressions.Regex.Match(twiml, @"code est : ([1-9]), ([1-9]), ([1-9]), ([1-9])\.");
        if (!code.Success) throw new InvalidOperationException("No code in: " + twiml);
        var booking = string.Concat(code.Groups.Values.Skip(1).Select(g => g.Value));
        return (await RidesInDatabase()).Single(r => r.BookingCode == booking).Id;
    }

    /// <summary>Every ride in the database, read straight from it.</summary>
    internal async Task<List<(string Id, string BookingCode, string Status, string Language)>> RidesInDatabase()
    {
        await using var connection = Database.Open();
        var rows = await connection.QueryAsync<(string, string, string, string)>("SELECT id, booking_code, status, language FROM rides ORDER BY created_at;");
        return rows.AsList();
    }

    /// <summary>One number read straight from the database (0 for none).</summary>
    internal async Task<long> ScalarAsync(string sql, object? args = null)
    {
        await using var connection = Database.Open();
        return await connection.ExecuteScalarAsync<long?>(sql, args) ?? 0;
    }

    /// <summary>One column read straight from the database.</summary>
    internal async Task<List<T>> ColumnAsync<T>(string sql, object? args = null)
    {
        await using var connection = Database.Open();
        return (await connection.QueryAsync<T>(sql, args)).AsList();
    }

    internal static MediaTypeHeaderValue? ContentType(HttpResponseMessage response) => response.Content.Headers.ContentType;

    private Microsoft.Extensions.Hosting.IHost? _host;

    protected override Microsoft.Extensions.Hosting.IHost CreateHost(Microsoft.Extensions.Hosting.IHostBuilder builder) => _host = base.CreateHost(builder);

    /// <summary>Stops the service as a shutdown would, keeping its database to look at.</summary>
    internal Task StopAsync() => _host?.StopAsync() ?? Task.CompletedTask;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (!_ownsDatabase) return;
        Database.Dispose();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}

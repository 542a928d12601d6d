using System.Net;
using System.Net.Sockets;

namespace Alice.EndToEnd.Tests;

internal static class Repo
{
    public static string Root => Repository.Root;

    private static readonly HashSet<int> HandedOut = [];

    /// <summary>
    /// A loopback port free now, and never handed out before in this test run: fixtures take their ports
    /// before their processes bind them, so two fixtures starting together must not be given the same one.
    /// Drawn below Linux's ephemeral range (32768 and up): the in-process hosts of the other test projects,
    /// running at the same time, bind port 0 and get theirs from that range, so they cannot take one of
    /// these in the seconds before its process binds it (a run saw a simulator answer on a fixture's port).
    /// </summary>
    public static int FreePort()
    {
        while (true)
        {
            var port = Random.Shared.Next(20_000, 32_000);
            lock (HandedOut) if (!HandedOut.Add(port)) continue;
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException) { } // taken by something else: draw again
        }
    }
}

/// <summary>
/// The partner simulator, the Twilio REST simulator and the dispatch service (Development, so the development phone is there),
/// each its own process on a loopback port, sharing nothing but HTTP, with a fresh SQLite file.
/// </summary>
public class RunningService : IAsyncLifetime
{
    public const string PartnerSecret = "end-to-end-partner-secret-0123456789-abcdef";
    /// <summary>Base64 of 32 bytes: encrypts the Data Protection key ring at rest (required outside Development).</summary>
    public const string KeyEncryptionKey = "ZW5kLXRvLWVuZC1rZXktZW5jcnlwdGlvbi1rZXktMzI=";

    public RunningService()
    {
        Folder = Directory.CreateTempSubdirectory("alice-e2e-").FullName;
        Database = new TestDatabase(Folder);
    }

    public string Folder { get; }
    public TestDatabase Database { get; }
    public string DispatchUrl { get; } = $"http://127.0.0.1:{Repo.FreePort()}";
    public string PartnerUrl { get; } = $"http://127.0.0.1:{Repo.FreePort()}";
    /// <summary>The Twilio REST simulator: the on-call phones the alerts reach (its development account is the service's).</summary>
    public string TwilioUrl { get; } = $"http://127.0.0.1:{Repo.FreePort()}";
    public HostProcess Twilio { get; private set; } = null!;
    /// <summary>The police zone's receiving end (its development secret is the service's).</summary>
    public string PoliceUrl { get; } = $"http://127.0.0.1:{Repo.FreePort()}";
    public HostProcess Police { get; private set; } = null!;
    public HostProcess Dispatch { get; private set; } = null!;
    public HostProcess Partner { get; private set; } = null!;

    /// <summary>How the simulated partner behaves: it reports each ride's progress back quickly.</summary>
    protected virtual Dictionary<string, string> PartnerSettings => new()
    {
        ["Simulator__Faults__AcceptedAfterMs"] = "100",
        ["Simulator__Faults__DriverArrivedAfterMs"] = "300",
        ["Simulator__Faults__OnBoardAfterMs"] = "500",
        ["Simulator__Faults__DroppedOffAfterMs"] = "700",
    };

    /// <summary>Settings of the dispatch service beyond those that connect it to the partner; they win over those (a fixture may run it in Production).</summary>
    protected virtual Dictionary<string, string> DispatchSettings => [];

    /// <summary>The dispatch service's environment: Development, its own database, the partner simulator, then <see cref="DispatchSettings"/>.</summary>
    private Dictionary<string, string> DispatchEnvironment
    {
        get
        {
            var environment = new Dictionary<string, string>(Database.EnvironmentVariables)
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["Twilio__PublicBaseUrl"] = DispatchUrl,
                ["Twilio__RestBaseUrl"] = TwilioUrl,
                ["Police__Zones__0__WebhookUrl"] = PoliceUrl + "/police",
                ["Partners__Providers__0__BaseUrl"] = PartnerUrl,
                ["Partners__Providers__0__Secret"] = PartnerSecret,
            };
            foreach (var (key, value) in DispatchSettings) environment[key] = value;
            return environment;
        }
    }

    public virtual async Task InitializeAsync()
    {
        Partner = await HostProcess.StartAsync("infra/PartnerSimulator", "Alice.PartnerSimulator", PartnerUrl, new Dictionary<string, string>(PartnerSettings)
        {
            ["Simulator__Secret"] = PartnerSecret,
            ["Simulator__EventsUrl"] = DispatchUrl,
        });
        Twilio = await HostProcess.StartAsync("infra/TwilioSimulator", "Alice.TwilioSimulator", TwilioUrl, new Dictionary<string, string>());
        Police = await HostProcess.StartAsync("infra/PoliceReceiver", "Alice.PoliceReceiver", PoliceUrl, new Dictionary<string, string>());
        Dispatch = await HostProcess.StartAsync("src/Dispatch", "Alice.Dispatch", DispatchUrl, DispatchEnvironment);
    }

    /// <summary>Runs a command of the service (e.g. accounts create-operator NAME) on its database, as an operator on the server would; its standard output.</summary>
    public Task<string> CommandAsync(params string[] args) => HostProcess.RunAsync("src/Dispatch", "Alice.Dispatch", args, DispatchEnvironment);

    /// <summary>A ride's status, read straight from the service's database.</summary>
    public async Task<string?> RideStatusAsync(string rideId)
    {
        await using var db = Database.Open();
        return await Dapper.SqlMapper.ExecuteScalarAsync<string?>(db, "SELECT status FROM rides WHERE id = @rideId;", new { rideId });
    }

    public virtual async Task DisposeAsync()
    {
        await Dispatch.DisposeAsync();
        await Partner.DisposeAsync();
        await Twilio.DisposeAsync();
        await Police.DisposeAsync();
        Database.Dispose();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}

/// <summary>
/// The dispatch service in Production, as an operator runs it, on the given database, booking with the
/// partner at the given address; Twilio's API and the police zone answer where given, else nowhere (an
/// alert's SMS would fail and be retried). For the tests that kill it, break its database or attack it.
/// </summary>
internal static class ProductionDispatch
{
    private const string Nowhere = "http://127.0.0.1:9";

    public static Dictionary<string, string> Environment(IEnumerable<KeyValuePair<string, string>> database, string dispatchUrl, string partnerUrl, string twilioToken,
        string twilioUrl = Nowhere, string policeUrl = Nowhere) =>
        new(database.Concat(CampusNumbers.EnvironmentVariables))
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DataProtection__KeyEncryptionKey"] = RunningService.KeyEncryptionKey,
            ["Twilio__AuthToken"] = twilioToken,
            ["Twilio__PublicBaseUrl"] = dispatchUrl,
            ["Twilio__AccountSid"] = "AC0123456789abcdef0123456789abcdef",
            ["Twilio__RestBaseUrl"] = twilioUrl,
            ["Police__Zones__0__WebhookUrl"] = policeUrl + "/police",
            ["Police__Zones__0__Secret"] = "production-tests-police-zone-secret-0123456789",
            ["Privacy__CallKeySecret"] = "production-test-call-key-secret-0123456789-abcdef",
            ["Partners__AttemptTimeoutSeconds"] = "1",
            ["Partners__Providers__0__Name"] = "simulator",
            ["Partners__Providers__0__BaseUrl"] = partnerUrl,
            ["Partners__Providers__0__Secret"] = RunningService.PartnerSecret,
            ["Partners__Providers__0__Account"] = "production-tests",
        };
}


using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Alice.Signatures;
using Dapper;
using Npgsql;

namespace Alice.EndToEnd.Tests;

/// <summary>
/// The production shape, as infra/production brings it up: PostgreSQL, two dispatch instances in
/// Production mode, nginx in front, the partner simulator. Ports and the run folder are the test's own.
/// </summary>
public sealed class ProductionShape : IAsyncLifetime
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("alice-production-").FullName;
    /// <summary>Beside the run folder, not in it: PostgreSQL runs as its own user (it refuses root), who cannot enter a 0700 folder of root's.</summary>
    private readonly string _postgresFolder = Path.Combine(Path.GetTempPath(), "alice-production-pg-" + Guid.NewGuid().ToString("N"));
    public int NginxPort { get; } = Repo.FreePort();
    public int[] InstancePorts { get; } = [Repo.FreePort(), Repo.FreePort()];
    public int SimulatorPort { get; } = Repo.FreePort();
    public int TwilioPort { get; } = Repo.FreePort();
    public int PolicePort { get; } = Repo.FreePort();
    private readonly int _postgresPort = Repo.FreePort();

    public string PublicUrl => $"http://127.0.0.1:{NginxPort}";
    public string SimulatorUrl => $"http://127.0.0.1:{SimulatorPort}";

    /// <summary>The secrets the script made for this run (name → value).</summary>
    public Dictionary<string, string> Secrets { get; private set; } = [];

    public Task InitializeAsync() => RunAsync("up").ContinueWith(t =>
    {
        t.GetAwaiter().GetResult();
        Secrets = File.ReadAllLines(Path.Combine(Folder, "secrets"))
            .Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
    });

    public Task DisposeAsync() => RunAsync("reset");

    /// <summary>Runs infra/production with this run's folder and ports; throws with its output if it fails.</summary>
    public async Task RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(Repo.Root, "infra", "production"), .. args])
        {
            WorkingDirectory = Repo.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ALICE_PROD_DIR"] = Folder;
        start.Environment["ALICE_NGINX_PORT"] = NginxPort.ToString();
        start.Environment["ALICE_PORT_1"] = InstancePorts[0].ToString();
        start.Environment["ALICE_PORT_2"] = InstancePorts[1].ToString();
        start.Environment["ALICE_SIMULATOR_PORT"] = SimulatorPort.ToString();
        start.Environment["ALICE_TWILIO_PORT"] = TwilioPort.ToString();
        start.Environment["ALICE_POLICE_PORT"] = PolicePort.ToString();
        start.Environment["ALICE_PG_PORT"] = _postgresPort.ToString();
        start.Environment["ALICE_PG_DIR"] = _postgresFolder;
        start.Environment["ALICE_PRODUCTION_NO_BUILD"] = "1"; // the suite's own Release build
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"infra/production {string.Join(' ', args)} failed:\n{await output}\n{await errors}");
    }

    /// <summary>The database the instances share, as their environment file names it.</summary>
    public NpgsqlConnection OpenDatabase()
    {
        var connection = new NpgsqlConnection(File.ReadAllText(Path.Combine(Folder, "credentials", "dispatch-1", "Database__ConnectionString")).Trim());
        connection.Open();
        return connection;
    }

    /// <summary>The campus's hotline number, as the instances' environment file sets it.</summary>
    public string Hotline => Setting("Hotline__Campuses__0__HotlineNumber");

    private string Setting(string name) =>
        File.ReadAllLines(Path.Combine(Folder, "dispatch.env")).Single(l => l.StartsWith(name + "=")).Split('=', 2)[1].Trim('\'');
}

/// <summary>
/// Promise 2 with one machine gone: webhooks of one call answered by either instance book one ride, and
/// an instance killed while bookings are in flight leaves them to the other, each booked exactly once.
/// </summary>
public partial class TwoInstanceTests(ProductionShape shape) : IClassFixture<ProductionShape>
{
    private readonly HttpClient _http = new();

    [GeneratedRegex(@"code est : ([1-9]), ([1-9]), ([1-9]), ([1-9])\.")]
    private static partial Regex CodeLine();

    /// <summary>Posts a webhook signed as Twilio signs it for the public URL (nginx), to nginx or straight to one instance.</summary>
    private async Task<string> PostAsync(string pathAndQuery, string callSid, string? digits = null, string? via = null)
    {
        List<KeyValuePair<string, string>> form = [new("CallSid", callSid), new("From", CampusNumbers.CallerFor(callSid)), new("To", shape.Hotline)];
        if (digits is not null) form.Add(new("Digits", digits));
        var request = new HttpRequestMessage(HttpMethod.Post, (via ?? shape.PublicUrl) + pathAndQuery) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioWebhookSigner.Header, TwilioWebhookSigner.Sign(shape.Secrets["twilio_token"], shape.PublicUrl + pathAndQuery, form));
        var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return body;
    }

    private static string CodeIn(string twiml)
    {
        var match = CodeLine().Match(twiml);
        Assert.True(match.Success, twiml);
        return string.Concat(match.Groups.Values.Skip(1).Select(g => g.Value));
    }

    private async Task<List<PartnerLedger.Booking>> BookingsAsync(string code) =>
        (await PartnerLedger.ReadAsync(shape.SimulatorUrl)).Bookings.Where(b => b.Reference == code).ToList();

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // file modes
    public void The_instances_environment_file_holds_no_secret_each_process_reads_them_as_credentials()
    {
        string[] secrets = ["Database__ConnectionString", "DataProtection__KeyEncryptionKey", "Twilio__AuthToken", "Privacy__CallKeySecret",
            "Partners__Providers__0__Secret", "Police__Zones__0__Secret"];
        var environment = File.ReadAllLines(Path.Combine(shape.Folder, "dispatch.env"));
        Assert.DoesNotContain(environment, line => secrets.Any(secret => line.StartsWith(secret + "=")) || line.Contains(shape.Secrets["twilio_token"]));
        foreach (var process in new[] { "migrate", "dispatch-1", "dispatch-2" })
            foreach (var secret in secrets)
            {
                var file = Path.Combine(shape.Folder, "credentials", process, secret);
                Assert.True(File.Exists(file), $"{process} has no credential {secret}");
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
    }

    [Fact]
    public async Task A_call_whose_webhooks_reach_both_instances_books_one_ride()
    {
        var callSid = "CA" + Guid.NewGuid().ToString("N");
        Assert.Contains("<Gather", await PostAsync("/twilio/voice", callSid));                    // through nginx
        var first = CodeIn(await PostAsync("/twilio/pickup?lang=fr&try=1", callSid, "1", $"http://127.0.0.1:{shape.InstancePorts[0]}"));
        // Twilio retries the same key press; this time the other instance answers.
        var retried = CodeIn(await PostAsync("/twilio/pickup?lang=fr&try=1", callSid, "1", $"http://127.0.0.1:{shape.InstancePorts[1]}"));

        Assert.Equal(first, retried);
        await PartnerLedger.WaitForAsync(shape.SimulatorUrl, first);
        // Another call's key press on the instance that answered the retry, as a marker: once its booking is
        // at the partner, a second booking of the first code, asked for before it, would be there too.
        var marker = CodeIn(await PostAsync("/twilio/pickup?lang=fr&try=1", "CA" + Guid.NewGuid().ToString("N"), "1", $"http://127.0.0.1:{shape.InstancePorts[1]}"));
        await PartnerLedger.WaitForAsync(shape.SimulatorUrl, marker);
        Assert.Single(await BookingsAsync(first));
        await using var db = shape.OpenDatabase();
        Assert.Equal(1, await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM rides WHERE booking_code = @first AND ended_at IS NULL;", new { first }));
    }

    [Fact]
    public async Task An_instance_killed_with_bookings_in_flight_leaves_them_to_the_other_each_booked_exactly_once()
    {
        (await _http.PostAsJsonAsync($"{shape.SimulatorUrl}/faults", new { latencyMs = 3000 })).EnsureSuccessStatusCode();
        var before = await PartnerLedger.AttemptsAsync(shape.SimulatorUrl);
        try
        {
            var codes = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PostAsync("/twilio/pickup?lang=fr&try=1", "CA" + Guid.NewGuid().ToString("N"), "1")));
            var booked = codes.Select(CodeIn).ToList();
            // Their booking jobs are waiting on the partner's answer, on either instance.
            await PartnerLedger.WaitForAttemptsAsync(shape.SimulatorUrl, before + booked.Count);

            await shape.RunAsync("kill", "1");
            (await _http.PostAsJsonAsync($"{shape.SimulatorUrl}/faults", new { })).EnsureSuccessStatusCode();

            // Instance 2 takes over instance 1's jobs once instance 1 misses its cluster check-ins.
            foreach (var code in booked) await PartnerLedger.WaitForAsync(shape.SimulatorUrl, code);
            await using var db = shape.OpenDatabase();
            await Eventually.True(async () => await db.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM rides WHERE booking_code = ANY(@booked) AND status = 'requested';", new { booked = booked.ToArray() }) == 0,
                "no ride of the killed instance is still requested", TimeSpan.FromSeconds(30));
            foreach (var code in booked) Assert.Single(await BookingsAsync(code));
            Assert.Equal(0, await db.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM rides WHERE booking_code = ANY(@booked) AND status IN ('requested', 'needs_person');", new { booked = booked.ToArray() }));
            // And the hotline still answers through nginx, on the instance left.
            Assert.Contains("<Gather", await PostAsync("/twilio/voice", "CA" + Guid.NewGuid().ToString("N")));
        }
        finally
        {
            await shape.RunAsync("start", "1");
        }
    }
}

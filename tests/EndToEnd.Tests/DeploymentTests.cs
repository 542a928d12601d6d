using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Alice.EndToEnd.Tests;

/// <summary>
/// The files a server takes as they are (infra/deploy): the installer run into a scratch root lays down a
/// versioned release, units, environment files, credentials and the nginx site; nginx accepts the site;
/// every unit is hardened, its score printed where systemd-analyze exists.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // bash scripts and systemd units
public sealed partial class DeploymentTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string Deploy = Path.Combine(Repo.Root, "infra", "deploy");
    /// <summary>The units that run the service and the panel; each takes its secrets as credentials.</summary>
    private static readonly string[] Units = ["alice-dispatch@.service", "alice-migrate.service", "alice-admin.service"];
    /// <summary>Every unit that runs something, all hardened: the service's and the nightly backup.</summary>
    private static readonly string[] Hardened = [.. Units, "alice-backup.service"];
    private readonly string _root = Directory.CreateTempSubdirectory("alice-install-").FullName;

    /// <summary>The Release builds, as the folder install --from takes (dispatch/, admin/).</summary>
    private string Builds()
    {
        var builds = Path.Combine(_root + "-builds");
        Directory.CreateDirectory(builds);
        foreach (var (part, project) in new[] { ("dispatch", "Dispatch"), ("admin", "Admin") })
            Directory.CreateSymbolicLink(Path.Combine(builds, part), Path.Combine(Repo.Root, "src", project, "bin", Repository.Configuration, "net10.0"));
        return builds;
    }

    private async Task<string> InstallAsync(string version, string builds) =>
        await RunAsync(Path.Combine(Deploy, "install"), "--root", _root, "--version", version, "--from", builds, "--domain", "alice.example.net");

    [Fact]
    public async Task The_installer_lays_down_a_versioned_release_its_units_and_credentials_in_a_scratch_root()
    {
        var builds = Builds();
        var said = await InstallAsync("2026.12.1", builds);

        Assert.Equal("releases/2026.12.1", new FileInfo(Path.Combine(_root, "opt/alice/current")).LinkTarget);
        Assert.True(File.Exists(Path.Combine(_root, "opt/alice/current/dispatch/Alice.Dispatch.dll")));
        Assert.True(File.Exists(Path.Combine(_root, "opt/alice/current/admin/Alice.Admin.dll")));
        foreach (var unit in Hardened.Append("alice-backup.timer")) Assert.True(File.Exists(Path.Combine(_root, "etc/systemd/system", unit)), unit);
        // The backup and restore commands ship with the release, as alice-backup.service runs them.
        foreach (var command in new[] { "backup", "restore" })
            Assert.True(File.GetUnixFileMode(Path.Combine(_root, "opt/alice/current/bin", command)).HasFlag(UnixFileMode.UserExecute), command);
        Assert.Contains("ExecStart=/opt/alice/current/bin/backup\n", await File.ReadAllTextAsync(Path.Combine(Deploy, "alice-backup.service")));

        // Secrets as credentials, root's only; the environment files hold none.
        var credentials = Path.Combine(_root, "etc/alice/credentials");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(credentials));
        var service = Credential("dispatch", "Database__ConnectionString");
        var panel = Credential("admin", "Database__ConnectionString");
        Assert.Contains("Username=alice;", service);
        Assert.Contains("Username=alice_admin;", panel);
        string Password(string connection) => PasswordIn().Match(connection).Groups[1].Value;
        Assert.NotEqual(Password(service), Password(panel));
        Assert.All(new[] { Password(service), Password(panel) }, p => Assert.True(p.Length >= 32, "a random password of its own"));
        // Each instance its own login, and its own password (the migration's login is alice).
        var instances = new[] { "dispatch-5281", "dispatch-5282" }.Select(folder => Credential(folder, "Database__ConnectionString")).ToList();
        Assert.Contains("Username=alice_5281;", instances[0]);
        Assert.Contains("Username=alice_5282;", instances[1]);
        Assert.Equal(4, new List<string> { service, panel }.Concat(instances).Select(Password).Distinct().Count());
        Assert.NotEqual(Credential("dispatch", "DataProtection__KeyEncryptionKey"), Credential("admin", "DataProtection__KeyEncryptionKey"));
        foreach (var file in Directory.EnumerateFiles(credentials, "*", SearchOption.AllDirectories))
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        foreach (var env in new[] { "dispatch.env", "admin.env" })
            Assert.DoesNotContain(File.ReadLines(Path.Combine(_root, "etc/alice", env)), l => !l.StartsWith('#') && l.Contains("Password="));

        // What acts on the system is written down, not run; what an operator must still set is named.
        var commands = await File.ReadAllTextAsync(Path.Combine(_root, "install-commands"));
        Assert.Contains("useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin alice\n", commands);
        Assert.Contains("nologin alice-admin\n", commands);
        Assert.Contains("psql", commands);
        Assert.Contains("install -d -o postgres -g postgres -m 0700 /var/backups/alice\n", commands);
        Assert.Contains("/etc/alice/credentials/dispatch/Twilio__AuthToken", said);
        Assert.DoesNotContain("systemctl restart", commands); // nothing starts before the secrets are set
        output.WriteLine(said);

        // The next release: `current` moves, the passwords and keys stay.
        await InstallAsync("2026.12.2", builds);
        Assert.Equal("releases/2026.12.2", new FileInfo(Path.Combine(_root, "opt/alice/current")).LinkTarget);
        Assert.Equal(service, Credential("dispatch", "Database__ConnectionString"));
        Assert.Equal(instances[1], Credential("dispatch-5282", "Database__ConnectionString"));
        Assert.True(Directory.Exists(Path.Combine(_root, "opt/alice/releases/2026.12.1")), "the previous release stays, to go back to");
    }

    [Fact]
    public async Task The_installed_nginx_site_passes_nginx_t_with_tls_a_redirect_and_a_server_per_audience()
    {
        await InstallAsync("check", Builds());
        var verdict = await RunAsync(Path.Combine(Deploy, "check-site"), _root);
        output.WriteLine($"nginx -t of the installed site (infra/deploy/nginx-alice.conf):\n{verdict}");
        Assert.Contains("test is successful", verdict);

        var site = await File.ReadAllTextAsync(Path.Combine(_root, "etc/nginx/sites-available/alice.conf"));
        Assert.Contains("server_tokens off;", site);
        Assert.Contains("ssl_protocols TLSv1.2 TLSv1.3;", site);
        Assert.Contains("ssl_session_tickets off;", site);
        Assert.Contains("return 301 https://$host$request_uri;", site);
        var servers = ServerBlock().Matches(site).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        Assert.Equal(["alice.example.net", "centre.alice.example.net", "partners.alice.example.net", "stats.alice.example.net"],
            servers.Keys.Where(k => !k.Contains(' ')).Order());
        // Twilio's name proxies /twilio/ only; the partners' name their events only; the probes nowhere.
        Assert.Matches(@"location /twilio/ \{\s*include [^;]*alice-proxy.conf;", servers["alice.example.net"]);
        Assert.Single(Regex.Matches(servers["alice.example.net"], "alice-proxy.conf"));
        Assert.Single(Regex.Matches(servers["partners.alice.example.net"], "alice-proxy.conf"));
        Assert.Contains(@"location ~ ^/partners/[A-Za-z0-9-]+/events$", servers["partners.alice.example.net"]);
        Assert.Contains("location = /readyz { return 404; }", servers["centre.alice.example.net"]);
        Assert.Contains("location = /readyz { return 404; }", servers["stats.alice.example.net"]);
        Assert.Contains("proxy_pass http://alice_admin;", servers["stats.alice.example.net"]);
    }

    [Fact]
    public async Task Every_unit_is_hardened_takes_its_secrets_as_credentials_and_scores_two_or_lower()
    {
        foreach (var unit in Hardened)
        {
            var text = await File.ReadAllTextAsync(Path.Combine(Deploy, unit));
            foreach (var line in new[] { "LimitCORE=0", "RestrictAddressFamilies=AF_UNIX", "SystemCallFilter=@system-service",
                         "ProtectProc=invisible", "ProcSubset=pid", "NoNewPrivileges=yes", "CapabilityBoundingSet=\n" })
                Assert.True(text.Contains(line), $"{unit} lacks {line.Trim()}");
            // The backup reaches PostgreSQL through its socket as postgres: no password, no credential.
            if (Units.Contains(unit)) Assert.Contains("LoadCredential=Database__ConnectionString:", text);
            Assert.Matches(@"\nMemoryMax=\d+[MG]\n", text);
            Assert.Matches(@"\nTasksMax=\d+\n", text);
        }
        // The secrets the service reads are credentials, and no example environment file sets one.
        var dispatch = await File.ReadAllTextAsync(Path.Combine(Deploy, "alice-dispatch@.service"));
        foreach (var secret in new[] { "DataProtection__KeyEncryptionKey", "Twilio__AuthToken", "Privacy__CallKeySecret", "Partners__Providers__0__Secret", "Police__Zones__0__Secret" })
        {
            Assert.Contains($"LoadCredential={secret}:/etc/alice/credentials/dispatch/{secret}\n", dispatch);
            Assert.DoesNotContain(File.ReadLines(Path.Combine(Deploy, "dispatch.env.example")), l => l.StartsWith(secret + "="));
        }
        Assert.DoesNotContain(File.ReadLines(Path.Combine(Deploy, "admin.env.example")), l => l.StartsWith("DataProtection__KeyEncryptionKey=") || l.StartsWith("Database__ConnectionString="));

        if (!File.Exists("/usr/bin/systemd-analyze"))
        {
            output.WriteLine("systemd-analyze is not installed here: the units' exposure scores were not computed (the directives above were checked).");
            return;
        }
        foreach (var unit in Hardened)
        {
            var report = await RunAsync("/usr/bin/systemd-analyze", "security", "--offline=yes", "--no-pager", Path.Combine(Deploy, unit));
            var score = double.Parse(Exposure().Match(report).Groups[1].Value, CultureInfo.InvariantCulture);
            output.WriteLine($"systemd-analyze security --offline=yes {unit}: {score.ToString("0.0", CultureInfo.InvariantCulture)}");
            Assert.True(score <= 2.0, $"{unit} is rated {score} (at most 2.0):\n{report}");
        }
    }

    [Fact]
    public async Task The_instances_want_the_migration_without_requiring_it_and_a_failed_migration_runs_again()
    {
        var dispatch = await File.ReadAllTextAsync(Path.Combine(Deploy, "alice-dispatch@.service"));
        var migrate = await File.ReadAllTextAsync(Path.Combine(Deploy, "alice-migrate.service"));
        var panel = await File.ReadAllTextAsync(Path.Combine(Deploy, "alice-admin.service"));
        Assert.DoesNotMatch(@"\n(Requires|BindsTo|Requisite)=[^\n]*alice-migrate", dispatch);
        Assert.Matches(@"\nWants=[^\n]*alice-migrate\.service", dispatch);
        Assert.Matches(@"\nAfter=[^\n]*alice-migrate\.service", dispatch);
        Assert.Contains("\nRestart=on-failure\n", migrate);
        Assert.Contains("\nStartLimitIntervalSec=0\n", migrate);
        Assert.Matches(@"\nAfter=[^\n]*alice-migrate\.service[^\n]*alice-dispatch@", panel);
    }

    private string Credential(string folder, string name) => File.ReadAllText(Path.Combine(_root, "etc/alice/credentials", folder, name)).Trim();

    /// <summary>Runs a program; what it wrote (stdout and stderr); fails with it when the program fails.</summary>
    private static async Task<string> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var said = await stdout + await stderr;
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {process.ExitCode}:\n{said}");
        return said;
    }

    [GeneratedRegex(@"Password=([^;]*)")]
    private static partial Regex PasswordIn();

    [GeneratedRegex(@"Overall exposure level for [^:]*: (\d+\.\d)")]
    private static partial Regex Exposure();

    /// <summary>A server block on port 443 (ssl) by its server_name, and its body up to the next server block.</summary>
    [GeneratedRegex(@"server \{\s*listen 443 ssl;\s*listen \[::\]:443 ssl;\s*server_name ([^;]+);(.*?)(?=\n# |\z)", RegexOptions.Singleline)]
    private static partial Regex ServerBlock();

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
        // The builds' folder holds links to the build output: the links go, never what they point to.
        if (!Directory.Exists(_root + "-builds")) return;
        foreach (var link in Directory.EnumerateFileSystemEntries(_root + "-builds")) Directory.Delete(link);
        Directory.Delete(_root + "-builds");
    }
}

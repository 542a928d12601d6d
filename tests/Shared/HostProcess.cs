using System.Diagnostics;
using System.Net;
using System.Text;

namespace Alice.Testing;

/// <summary>A host started as its own process from its build output, with its console output kept.</summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private HostProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Whether the process is still running (a suite that tries to crash it checks at its end).</summary>
    public bool IsAlive => !_process.HasExited;

    /// <summary>Its resident memory now, in bytes (VmRSS in /proc/&lt;pid&gt;/status): what a leak would grow.</summary>
    public long ResidentBytes() =>
        long.Parse(File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:"))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;

    /// <summary>The files the process has mapped now (/proc/&lt;pid&gt;/maps): the assemblies it has loaded among them.</summary>
    public IReadOnlySet<string> MappedFiles() =>
        File.ReadLines($"/proc/{_process.Id}/maps").Select(l => l.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length == 6 && f[5].StartsWith('/')).Select(f => Path.GetFileName(f[5].Trim())).ToHashSet();

    public static async Task<HostProcess> StartAsync(string project, string assembly, string url, IDictionary<string, string> environment)
    {
        var folder = Path.Combine(Repository.Root, project, "bin", Repository.Configuration, "net10.0");
        var start = new ProcessStartInfo("dotnet", [Path.Combine(folder, assembly + ".dll"), "--urls", url])
        {
            WorkingDirectory = folder, // content root: appsettings.json sits beside the assembly
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var host = new HostProcess(Process.Start(start)!);
        await host.WaitHealthyAsync(url);
        return host;
    }

    private async Task WaitHealthyAsync(string url)
    {
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                // Exited is not yet everything read: this waits until the redirected output is drained too.
                _process.WaitForExit();
                throw new InvalidOperationException($"The host exited at start:\n{Output}");
            }
            try
            {
                if ((await http.GetAsync(url)).StatusCode != HttpStatusCode.ServiceUnavailable) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The host did not answer within 30 s:\n{Output}");
    }

    /// <summary>Runs a host's command to its end; its standard output, or an exception with everything it printed if it failed.</summary>
    public static async Task<string> RunAsync(string project, string assembly, IEnumerable<string> args, IDictionary<string, string> environment)
    {
        var folder = Path.Combine(Repository.Root, project, "bin", Repository.Configuration, "net10.0");
        var start = new ProcessStartInfo("dotnet", [Path.Combine(folder, assembly + ".dll"), .. args])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{string.Join(' ', args)} exited {process.ExitCode}:\n{await output}{await errors}");
        return await output;
    }

    /// <summary>SIGKILL: the process gets no chance to finish anything, as in a crash.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}

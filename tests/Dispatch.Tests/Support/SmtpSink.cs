using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit;

namespace Alice.Dispatch.Tests.Support;

/// <summary>
/// An SMTP server on a loopback port, speaking just enough of the protocol (EHLO/HELO, MAIL, RCPT, DATA, RSET,
/// NOOP, QUIT) for a real client to deliver to it, keeping every message it received. While <see cref="Down"/>
/// it answers every connection with 421 and closes it, as a server that is unavailable does.
/// </summary>
internal sealed class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<MimeMessage> _received = new();
    private readonly Task _accepting;

    public SmtpSink()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Refuses every session with 421 while true.</summary>
    public bool Down { get => Volatile.Read(ref _down); set => Volatile.Write(ref _down, value); }
    private bool _down;

    /// <summary>How long the server takes to accept a message (a slow server: a sender's check comes round before it is done).</summary>
    public TimeSpan Slowness { get; init; }

    /// <summary>Connections refused while down.</summary>
    public int Refused => _refused;
    private int _refused;

    public IReadOnlyList<MimeMessage> Received => [.. _received];

    /// <summary>The settings that point the service at this sink, plain SMTP on loopback.</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["Operator:Smtp:Host"] = "127.0.0.1",
        ["Operator:Smtp:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Operator:Smtp:UseTls"] = "false",
        ["Operator:Smtp:From"] = "alice@alice.example.test",
        ["Operator:Smtp:To"] = "operator@alice.example.test",
    };

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            var reader = new StreamReader(stream, Encoding.Latin1);
            var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            if (Down)
            {
                Interlocked.Increment(ref _refused);
                await writer.WriteLineAsync("421 sink.test Service not available");
                return;
            }
            await writer.WriteLineAsync("220 sink.test ESMTP");
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-sink.test");
                        await writer.WriteLineAsync("250 8BITMIME");
                        break;
                    case "HELO" or "MAIL" or "RCPT" or "RSET" or "NOOP":
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync(_stop.Token) is { } body && body != ".")
                            data.Append(body.StartsWith("..") ? body[1..] : body).Append("\r\n");
                        await Task.Delay(Slowness, _stop.Token);
                        _received.Enqueue(MimeMessage.Load(new MemoryStream(Encoding.Latin1.GetBytes(data.ToString()))));
                        await writer.WriteLineAsync("250 OK queued");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 Bye");
                        return;
                    default:
                        await writer.WriteLineAsync("502 Command not implemented");
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException) { }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}

using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Alice.EndToEnd.Tests;

/// <summary>
/// HTTP/1.1 spoken over a bare socket: HttpClient would tidy a hostile request (resolve <c>..</c>, refuse
/// a bad header, fix a wrong length) before it left, and could not send it slowly.
/// </summary>
internal static class RawHttp
{
    /// <summary>What came back: the status, or null when the server closed the connection without answering.</summary>
    public sealed record Answer(int? Status, TimeSpan Took);

    /// <summary>The request's head, with <c>Connection: close</c> so the answer ends where the connection does.</summary>
    public static byte[] Head(string method, string target, string? host, IEnumerable<(string Name, string Value)> headers, int? contentLength)
    {
        var head = new StringBuilder($"{method} {target} HTTP/1.1\r\n");
        if (host is not null) head.Append($"Host: {host}\r\n");
        head.Append("Connection: close\r\n");
        foreach (var (name, value) in headers) head.Append($"{name}: {value}\r\n");
        if (contentLength is not null) head.Append($"Content-Length: {contentLength}\r\n");
        return Encoding.Latin1.GetBytes(head.Append("\r\n").ToString());
    }

    /// <summary>Sends the bytes at once, then reads the answer to its end (at most <paramref name="timeout"/>).</summary>
    public static async Task<Answer> SendAsync(Uri server, byte[] request, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        var stream = client.GetStream();
        // The server may answer (413, 431) and close before it has read everything: what it said is still there to read.
        try { await stream.WriteAsync(request); } catch (IOException) { }
        var status = await ReadStatusAsync(stream, timeout);
        return new Answer(status, watch.Elapsed);
    }

    /// <summary>
    /// Sends the head at once and then the rest a byte at a time, one every <paramref name="pause"/>, until
    /// the server cuts the connection (or answers); how long it let the sender go on.
    /// </summary>
    public static async Task<Answer> TrickleAsync(Uri server, byte[] atOnce, byte[] trickled, TimeSpan pause, TimeSpan giveUpAfter)
    {
        var watch = Stopwatch.StartNew();
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        var stream = client.GetStream();
        using var stop = new CancellationTokenSource(giveUpAfter);
        var reading = ReadStatusAsync(stream, giveUpAfter);
        try
        {
            await stream.WriteAsync(atOnce, stop.Token);
            foreach (var b in trickled)
            {
                if (reading.IsCompleted) break;
                await stream.WriteAsync(new[] { b }, stop.Token);
                await Task.Delay(pause, stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException) { }
        var status = await reading;
        return new Answer(status, watch.Elapsed);
    }

    /// <summary>The status of the answer once the connection ends; null for none (closed, reset, or nothing within the timeout).</summary>
    private static async Task<int?> ReadStatusAsync(NetworkStream stream, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer, deadline.Token)) > 0) received.Write(buffer, 0, n);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException) { }
        if (deadline.IsCancellationRequested) throw new TimeoutException($"No end of the answer within {timeout.TotalSeconds} s.");
        var text = Encoding.Latin1.GetString(received.GetBuffer(), 0, (int)Math.Min(received.Length, 64));
        return text.StartsWith("HTTP/1.1 ") && int.TryParse(text.AsSpan(9, 3), out var status) ? status : null;
    }
}

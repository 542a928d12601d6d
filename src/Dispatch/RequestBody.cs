using System.Buffers;

namespace Alice.Dispatch;

/// <summary>Reads request bodies with a hard limit, whatever Content-Length claims (chunked bodies have none).</summary>
internal static class RequestBody
{
    /// <summary>The body's bytes, or null when it is longer than the limit (read no further than one byte past it).</summary>
    public static async Task<byte[]?> ReadAtMostAsync(Stream body, int limit, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(limit + 1);
        try
        {
            var read = 0;
            int n;
            while (read <= limit && (n = await body.ReadAsync(buffer.AsMemory(read, limit + 1 - read), ct)) > 0) read += n;
            return read > limit ? null : buffer.AsSpan(0, read).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

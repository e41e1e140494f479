using System.Buffers;
using System.Security.Cryptography;

namespace Ledger.Api.Http;

/// <summary>
/// A response body held back until it is whole (for its ETag), in pages rented from the shared pool and hashed as it is
/// written. A <see cref="MemoryStream"/> did the same by doubling one array: a 100-line statement's body then took
/// arrays on the large-object heap on every request, and the collections of the oldest generation that came with them
/// were the tail of the statement's latency.
/// </summary>
internal sealed class HashedBody : Stream
{
    private const int PageSize = 16 * 1024;
    private readonly List<byte[]> pages = [];
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private int usedOfLast = PageSize;
    private long length;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => length;
    public override long Position { get => length; set => throw new NotSupportedException(); }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        hash.AppendData(buffer);
        length += buffer.Length;
        while (!buffer.IsEmpty)
        {
            if (usedOfLast == PageSize) { pages.Add(ArrayPool<byte>.Shared.Rent(PageSize)); usedOfLast = 0; }
            var n = Math.Min(PageSize - usedOfLast, buffer.Length);
            buffer[..n].CopyTo(pages[^1].AsSpan(usedOfLast));
            usedOfLast += n;
            buffer = buffer[n..];
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override void Flush() { }
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The strong ETag of the body written: the first 16 bytes of its SHA-256, base64url. Ends the hashing.</summary>
    public string Tag()
    {
        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return $"\"{Convert.ToBase64String(digest[..16]).TrimEnd('=').Replace('+', '-').Replace('/', '_')}\"";
    }

    /// <summary>Writes the body held to <paramref name="destination"/>.</summary>
    public async Task WriteToAsync(Stream destination, CancellationToken ct)
    {
        for (var i = 0; i < pages.Count; i++)
            await destination.WriteAsync(pages[i].AsMemory(0, i == pages.Count - 1 ? usedOfLast : PageSize), ct);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var page in pages) ArrayPool<byte>.Shared.Return(page);
            pages.Clear();
            hash.Dispose();
        }
        base.Dispose(disposing);
    }
}

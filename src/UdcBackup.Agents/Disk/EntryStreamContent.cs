using System.Net;
using UdcBackup.Agents.Hosting;
using UdcBackup.Archive.Streaming;

namespace UdcBackup.Agents.Disk;

/// <summary>
/// An HTTP request body produced while it is sent: entries are read from disk and framed straight
/// into the connection, so a backup never has to fit in memory or on a spool disk. Written in the
/// entry stream format version the media agent said it reads (1 unless told otherwise).
/// </summary>
internal sealed class EntryStreamContent : HttpContent
{
    /// <summary>The write buffer between the entry stream writer and the request stream.</summary>
    public const int SendBufferSize = 256 * 1024;

    private readonly IAsyncEnumerable<StreamedEntry> _entries;
    private readonly int _version;

    public EntryStreamContent(IAsyncEnumerable<StreamedEntry> entries, int version = 1)
    {
        _entries = entries;
        _version = version;
        Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(AgentHeaders.EntryStreamContentType);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        WriteAsync(_entries, stream, _version, cancellationToken);

    /// <summary>Writes <paramref name="entries"/> as an entry stream of <paramref name="version"/> into <paramref name="stream"/> through the send buffer, flushed at the end.</summary>
    public static async Task WriteAsync(IAsyncEnumerable<StreamedEntry> entries, Stream stream, int version, CancellationToken cancellationToken)
    {
        // The writer puts every frame's prefix and payload in separate small writes (a few bytes
        // for headers and end frames); each would become its own HTTP/2 DATA frame and TLS record.
        // The buffer gathers them (writes larger than it go straight through); the writer's end
        // frame flushes it. Not disposed: the stream belongs to the HTTP client.
        var buffered = new BufferedStream(stream, SendBufferSize);
        await EntryStreamWriter.WriteAllAsync(entries, buffered, version, cancellationToken);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}

using System.Net;
using UdcBackup.Agents.Hosting;
using UdcBackup.Archive.Streaming;

namespace UdcBackup.Agents.Disk;

/// <summary>
/// An HTTP request body produced while it is sent: entries are read from disk and framed straight
/// into the connection, so a backup never has to fit in memory or on a spool disk.
/// </summary>
internal sealed class EntryStreamContent : HttpContent
{
    private readonly IAsyncEnumerable<StreamedEntry> _entries;

    public EntryStreamContent(IAsyncEnumerable<StreamedEntry> entries)
    {
        _entries = entries;
        Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(AgentHeaders.EntryStreamContentType);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        EntryStreamWriter.WriteAllAsync(_entries, stream, cancellationToken);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}

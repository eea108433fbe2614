using System.Buffers;
using System.Security.Cryptography;
using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Archive.Streaming;

/// <summary>
/// Serializes entries into the framed wire format so a backup can cross the network: the disk
/// agent writes a folder's entries, the media agent reads them into a <see cref="Backup.BackupSession"/>;
/// a restore runs the other way. Each file's content ends with its length and SHA-256, so the
/// receiver detects truncation or corruption in transit before it commits anything.
/// </summary>
public sealed class EntryStreamWriter(Stream output)
{
    private long _count;

    /// <summary>Writes the stream header, every entry, and the end frame.</summary>
    public static async Task WriteAllAsync(IAsyncEnumerable<StreamedEntry> entries, Stream output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var writer = new EntryStreamWriter(output);
        await writer.WriteStartAsync(ct);
        await foreach (var entry in entries.WithCancellation(ct))
        {
            await writer.WriteAsync(entry, ct);
        }

        await writer.WriteEndAsync(ct);
    }

    public async Task WriteStartAsync(CancellationToken ct)
    {
        await output.WriteAsync(EntryStreamFormat.Magic.ToArray(), ct);
        await output.WriteAsync(new[] { EntryStreamFormat.Version }, ct);
    }

    public async Task WriteAsync(StreamedEntry entry, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var header = new ArrayBufferWriter<byte>();
        TreeCodec.Write(header, entry.Header with { Content = [] });
        var extents = entry.Extents ?? [];
        WriteVarint(header, (ulong)extents.Count);
        foreach (var extent in extents)
        {
            WriteVarint(header, (ulong)extent.Offset);
            WriteVarint(header, (ulong)extent.Length);
        }

        await WriteFrameAsync(EntryStreamFormat.Header, header.WrittenMemory, ct);
        _count++;
        if (entry.Content is null)
        {
            return;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(EntryStreamFormat.MaxData);
        long total = 0;
        try
        {
            int read;
            while ((read = await entry.Content.ReadAsync(buffer.AsMemory(0, EntryStreamFormat.MaxData), ct)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                total += read;
                await WriteFrameAsync(EntryStreamFormat.Data, buffer.AsMemory(0, read), ct);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var end = new ArrayBufferWriter<byte>();
        WriteVarint(end, (ulong)total);
        end.Write(hash.GetHashAndReset());
        await WriteFrameAsync(EntryStreamFormat.EndOfContent, end.WrittenMemory, ct);
    }

    public async Task WriteEndAsync(CancellationToken ct)
    {
        var end = new ArrayBufferWriter<byte>();
        WriteVarint(end, (ulong)_count);
        await WriteFrameAsync(EntryStreamFormat.End, end.WrittenMemory, ct);
        await output.FlushAsync(ct);
    }

    private async Task WriteFrameAsync(byte kind, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        var prefix = new ArrayBufferWriter<byte>(11);
        prefix.Write([kind]);
        WriteVarint(prefix, (ulong)payload.Length);
        await output.WriteAsync(prefix.WrittenMemory, ct);
        await output.WriteAsync(payload, ct);
    }

    internal static void WriteVarint(ArrayBufferWriter<byte> output, ulong value)
    {
        var span = output.GetSpan(10);
        var n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[n++] = (byte)value;
        output.Advance(n);
    }
}

using System.Buffers;
using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Archive.Streaming;

/// <summary>
/// Serializes entries into the framed wire format so a backup can cross the network: the disk
/// agent writes a folder's entries, the media agent reads them into a <see cref="Backup.BackupSession"/>;
/// a restore runs the other way. Each file's content ends with its length and check value
/// (SHA-256 in versions 1 and 2, CRC-32C in version 3: <see cref="TransitChecksum"/>), so the
/// receiver detects truncation or a framing bug before it commits anything.
/// After a file's content the writer asks the entry whether the file changed while it was read
/// (<see cref="StreamedEntry.ChangedWhileRead"/>, so the source can record it in any version) and,
/// from version 2 on, sends the answer in the entry-end frame. Version 1 stays the default: a
/// reader refuses a version newer than it knows, so only a reader that said it takes version 2
/// or 3 gets it.
/// </summary>
public sealed class EntryStreamWriter
{
    private readonly Stream _output;
    private readonly byte _version;
    private long _count;

    /// <summary>A writer of format <paramref name="version"/> (1; 2 with entry-end frames; 3 as 2 with CRC-32C check values).</summary>
    public EntryStreamWriter(Stream output, int version = EntryStreamFormat.Version)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (version is < EntryStreamFormat.Version or > EntryStreamFormat.Latest)
        {
            throw new ArgumentOutOfRangeException(nameof(version), version, "entry stream versions are 1, 2 and 3");
        }

        _output = output;
        _version = (byte)version;
    }

    /// <summary>The highest format version this library writes and reads.</summary>
    public static int LatestVersion => EntryStreamFormat.Latest;

    /// <summary>Writes the stream header (version 1), every entry, and the end frame.</summary>
    public static Task WriteAllAsync(IAsyncEnumerable<StreamedEntry> entries, Stream output, CancellationToken ct) =>
        WriteAllAsync(entries, output, EntryStreamFormat.Version, ct);

    /// <summary>Writes the stream header of format <paramref name="version"/>, every entry, and the end frame.</summary>
    public static async Task WriteAllAsync(IAsyncEnumerable<StreamedEntry> entries, Stream output, int version, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var writer = new EntryStreamWriter(output, version);
        await writer.WriteStartAsync(ct);
        await foreach (var entry in entries.WithCancellation(ct))
        {
            await writer.WriteAsync(entry, ct);
        }

        await writer.WriteEndAsync(ct);
    }

    public async Task WriteStartAsync(CancellationToken ct)
    {
        await _output.WriteAsync(EntryStreamFormat.Magic.ToArray(), ct);
        await _output.WriteAsync(new[] { _version }, ct);
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

        using var checksum = TransitChecksum.For(_version);
        var buffer = ArrayPool<byte>.Shared.Rent(EntryStreamFormat.MaxData);
        long total = 0;
        try
        {
            int read;
            while ((read = await entry.Content.ReadAsync(buffer.AsMemory(0, EntryStreamFormat.MaxData), ct)) > 0)
            {
                checksum.Append(buffer.AsSpan(0, read));
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
        checksum.Finish(end.GetSpan(checksum.Size));
        end.Advance(checksum.Size);
        await WriteFrameAsync(EntryStreamFormat.EndOfContent, end.WrittenMemory, ct);

        // Asked in both versions: the source records a change (its warnings) even when the
        // reader cannot be told.
        var changed = entry.ChangedWhileRead is { } check && await check(ct);
        if (_version >= EntryStreamFormat.VersionWithEntryEnd)
        {
            await WriteFrameAsync(EntryStreamFormat.EntryEnd, new[] { changed ? (byte)EntryStreamFormat.ChangedWhileReadFlag : (byte)0 }, ct);
        }
    }

    public async Task WriteEndAsync(CancellationToken ct)
    {
        var end = new ArrayBufferWriter<byte>();
        WriteVarint(end, (ulong)_count);
        await WriteFrameAsync(EntryStreamFormat.End, end.WrittenMemory, ct);
        await _output.FlushAsync(ct);
    }

    private async Task WriteFrameAsync(byte kind, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        var prefix = new ArrayBufferWriter<byte>(11);
        prefix.Write([kind]);
        WriteVarint(prefix, (ulong)payload.Length);
        await _output.WriteAsync(prefix.WrittenMemory, ct);
        await _output.WriteAsync(payload, ct);
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

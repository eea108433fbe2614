using System.Buffers;
using UdcBackup.Archive.Chunking;

namespace UdcBackup.Archive.Snapshots;

/// <summary>
/// Accumulates a snapshot's entry stream (see <see cref="TreeCodec"/>) and its counts, cut into
/// tree chunks while it grows: once two maximum-size chunks are buffered, whole chunks are cut off
/// the front and kept as arrays of their exact size. A content-defined boundary depends only on the
/// bytes from its chunk's start up to the maximum chunk size, so cutting early yields the same
/// chunks as cutting the finished stream. The stream is therefore held once, in pieces: built whole
/// it was grown by doubling and copied out at the end, up to three copies of a large tree (about
/// 20 MiB for 43,000 entries) at the moment of a backup's memory peak.
/// </summary>
internal sealed class ArchiveTreeBuilder
{
    /// <summary>Chunk sizes of the tree stream (smaller than data chunks: a changed entry re-stores one of these).</summary>
    public const int ChunkMin = 64 * 1024;

    public const int ChunkAverage = 256 * 1024;

    public const int ChunkMax = 1024 * 1024;

    private readonly FastCdcChunker _chunker = new(ChunkMin, ChunkAverage, ChunkMax);
    private readonly ArrayBufferWriter<byte> _output = new(1 << 16);
    private readonly List<byte[]> _chunks = [];
    private bool _built;

    public ArchiveTreeBuilder() => TreeCodec.WriteHeader(_output);

    public long Files { get; private set; }

    public long Directories { get; private set; }

    public long Bytes { get; private set; }

    public void Add(ArchiveEntry entry)
    {
        ObjectDisposedException.ThrowIf(_built, this);
        TreeCodec.Write(_output, entry);
        Count(entry.Type, entry.Size);
        CutFullChunks();
    }

    /// <summary>Appends a record already encoded (an unchanged parent entry) as it is.</summary>
    public void AddRecord(ReadOnlySpan<byte> encoded, EntryType type, long size)
    {
        ObjectDisposedException.ThrowIf(_built, this);
        _output.Write(encoded);
        Count(type, size);
        CutFullChunks();
    }

    /// <summary>Ends the stream (end marker included) and returns its chunks in order; call once.</summary>
    public IReadOnlyList<byte[]> Build()
    {
        ObjectDisposedException.ThrowIf(_built, this);
        _built = true;
        TreeCodec.WriteEnd(_output);
        var rest = _output.WrittenSpan;
        while (rest.Length > 0)
        {
            var length = _chunker.NextBoundary(rest);
            _chunks.Add(rest[..length].ToArray());
            rest = rest[length..];
        }

        return _chunks;
    }

    private void CutFullChunks()
    {
        if (_output.WrittenCount < 2 * ChunkMax)
        {
            return;
        }

        var written = _output.WrittenSpan;
        while (written.Length >= ChunkMax)
        {
            var length = _chunker.NextBoundary(written);
            _chunks.Add(written[..length].ToArray());
            written = written[length..];
        }

        // Move the tail (less than one maximum chunk) to the front; Span copies handle the overlap.
        _output.ResetWrittenCount();
        _output.Write(written);
    }

    private void Count(EntryType type, long size)
    {
        switch (type)
        {
            case EntryType.File:
                Files++;
                Bytes += size;
                break;
            case EntryType.Directory:
                Directories++;
                break;
            case EntryType.Hardlink:
                Files++;
                break;
        }
    }
}

using System.Buffers;

namespace UdcBackup.Archive.Snapshots;

/// <summary>Accumulates a snapshot's entry stream (see <see cref="TreeCodec"/>) and its counts.</summary>
internal sealed class ArchiveTreeBuilder
{
    private readonly ArrayBufferWriter<byte> _output = new(1 << 16);

    public ArchiveTreeBuilder() => TreeCodec.WriteHeader(_output);

    public long Files { get; private set; }

    public long Directories { get; private set; }

    public long Bytes { get; private set; }

    public void Add(ArchiveEntry entry)
    {
        TreeCodec.Write(_output, entry);
        Count(entry.Type, entry.Size);
    }

    /// <summary>Appends a record already encoded (an unchanged parent entry) as it is.</summary>
    public void AddRecord(ReadOnlySpan<byte> encoded, EntryType type, long size)
    {
        _output.Write(encoded);
        Count(type, size);
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

    /// <summary>The finished stream, end marker included.</summary>
    public byte[] Build()
    {
        TreeCodec.WriteEnd(_output);
        return _output.WrittenSpan.ToArray();
    }
}

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
        switch (entry.Type)
        {
            case EntryType.File:
                Files++;
                Bytes += entry.Size;
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

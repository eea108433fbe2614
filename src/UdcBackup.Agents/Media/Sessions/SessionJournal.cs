using System.Buffers;
using System.Buffers.Binary;
using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Agents.Media.Sessions;

/// <summary>
/// The entries one stream attempt stored, in arrival order, each with its chunk list: records of
/// <c>uint32 length | tree record</c> (the archive's tree encoding) appended as entries are stored.
/// Each record is handed to the operating system as it is appended (one write per record), so a
/// killed media agent process loses no stored entry and its restart resumes from every file whose
/// pack was finished; buffering 256 records lost them all on a kill -9 half-way.
/// Reading stops at a torn last record (a crash of the machine); the file is flushed to disk when
/// the attempt completes.
/// </summary>
internal sealed class SessionJournal : IDisposable
{
    private readonly FileStream _file;
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);

    public SessionJournal(string path) =>
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);

    public void Append(ArchiveEntry entry)
    {
        _buffer.Clear();
        TreeCodec.Write(_buffer, entry);
        Span<byte> prefix = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(prefix, (uint)_buffer.WrittenCount);
        _file.Write(prefix);
        _file.Write(_buffer.WrittenSpan);
        _file.Flush(flushToDisk: false); // to the OS now: a killed process loses nothing it stored
    }

    /// <summary>Makes the whole attempt durable (before it is recorded as complete).</summary>
    public void Complete() => _file.Flush(flushToDisk: true);

    public void Dispose() => _file.Dispose();

    public static List<ArchiveEntry> Read(string path)
    {
        var entries = new List<ArchiveEntry>();
        if (!File.Exists(path))
        {
            return entries;
        }

        var bytes = File.ReadAllBytes(path);
        var position = 0;
        while (position + 4 <= bytes.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(position));
            if (length <= 0 || position + 4 + length > bytes.Length)
            {
                break;
            }

            try
            {
                entries.Add(TreeCodec.ReadSingle(bytes.AsSpan(position + 4, length), out _));
            }
            catch (Exception ex) when (ex is InvalidDataException or ArgumentException or IndexOutOfRangeException)
            {
                break;
            }

            position += 4 + length;
        }

        return entries;
    }
}

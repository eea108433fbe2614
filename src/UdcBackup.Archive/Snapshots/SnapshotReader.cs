using UdcBackup.Archive.Format;
using UdcBackup.Archive.Repository;

namespace UdcBackup.Archive.Snapshots;

/// <summary>Loads a snapshot's entries by concatenating its tree blobs and decoding the stream.</summary>
public static class SnapshotReader
{
    /// <exception cref="ArchiveException">A tree blob is missing or damaged.</exception>
    public static List<ArchiveEntry> ReadEntries(ArchiveRepository repository, Snapshot snapshot)
    {
        var stream = ReadStream(repository, snapshot);
        try
        {
            return TreeCodec.ReadAll(stream);
        }
        catch (InvalidDataException ex)
        {
            throw new ArchiveException(ArchiveErrorCode.DamagedRepository, $"Snapshot {snapshot.ShortId}: {ex.Message}", ex);
        }
    }

    /// <summary>The snapshot's encoded entry stream (its tree blobs' plaintexts, concatenated), not decoded.</summary>
    /// <exception cref="ArchiveException">A tree blob is missing or damaged.</exception>
    public static byte[] ReadStream(ArchiveRepository repository, Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(snapshot);
        var parts = new List<byte[]>(snapshot.Tree.Count);
        foreach (var hex in snapshot.Tree)
        {
            try
            {
                parts.Add(repository.ReadBlob(BlobId.Parse(hex)));
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or FormatException)
            {
                throw new ArchiveException(ArchiveErrorCode.DamagedRepository, $"Snapshot {snapshot.ShortId}: tree blob {hex[..Math.Min(8, hex.Length)]} cannot be read: {ex.Message}", ex);
            }
        }

        var stream = new byte[parts.Sum(p => (long)p.Length)];
        var position = 0;
        foreach (var part in parts)
        {
            part.CopyTo(stream, position);
            position += part.Length;
        }

        return stream;
    }
}

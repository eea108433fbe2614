using UdcBackup.Archive.Format;
using UdcBackup.Archive.Repository;

namespace UdcBackup.Archive.Snapshots;

/// <summary>Loads a snapshot's entries by concatenating its tree blobs and decoding the stream.</summary>
public static class SnapshotReader
{
    /// <exception cref="ArchiveException">A tree blob is missing or damaged.</exception>
    public static List<ArchiveEntry> ReadEntries(ArchiveRepository repository, Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(snapshot);
        using var stream = new MemoryStream();
        foreach (var hex in snapshot.Tree)
        {
            try
            {
                stream.Write(repository.ReadBlob(BlobId.Parse(hex)));
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or FormatException)
            {
                throw new ArchiveException(ArchiveErrorCode.DamagedRepository, $"Snapshot {snapshot.ShortId}: tree blob {hex[..Math.Min(8, hex.Length)]} cannot be read: {ex.Message}", ex);
            }
        }

        try
        {
            return TreeCodec.ReadAll(stream.GetBuffer().AsSpan(0, (int)stream.Length));
        }
        catch (InvalidDataException ex)
        {
            throw new ArchiveException(ArchiveErrorCode.DamagedRepository, $"Snapshot {snapshot.ShortId}: {ex.Message}", ex);
        }
    }
}

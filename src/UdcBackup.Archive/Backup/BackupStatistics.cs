namespace UdcBackup.Archive.Backup;

/// <summary>
/// Live counters of a running backup, updated with interlocked operations by the pipeline and
/// polled by progress displays (polling keeps per-file overhead at zero when nobody watches).
/// </summary>
public sealed class BackupStatistics
{
    private long _filesDone;
    private long _bytesDone;
    private long _newBlobs;
    private long _newBytes;
    private long _storedBytes;

    public long FilesTotal { get; internal set; }

    public long BytesTotal { get; internal set; }

    public long FilesDone => Interlocked.Read(ref _filesDone);

    public long BytesDone => Interlocked.Read(ref _bytesDone);

    public long NewBlobs => Interlocked.Read(ref _newBlobs);

    /// <summary>Plaintext bytes of new blobs.</summary>
    public long NewBytes => Interlocked.Read(ref _newBytes);

    /// <summary>Bytes written into pack files.</summary>
    public long StoredBytes => Interlocked.Read(ref _storedBytes);

    internal void FileDone() => Interlocked.Increment(ref _filesDone);

    internal void AddBytes(long count) => Interlocked.Add(ref _bytesDone, count);

    internal void AddNewBlob(long plain, long stored)
    {
        Interlocked.Increment(ref _newBlobs);
        Interlocked.Add(ref _newBytes, plain);
        Interlocked.Add(ref _storedBytes, stored);
    }
}

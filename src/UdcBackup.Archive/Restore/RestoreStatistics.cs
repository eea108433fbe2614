namespace UdcBackup.Archive.Restore;

/// <summary>Live counters of a running restore, polled by progress displays.</summary>
public sealed class RestoreStatistics
{
    private long _filesDone;
    private long _bytesDone;

    public long FilesTotal { get; internal set; }

    public long BytesTotal { get; internal set; }

    public long FilesDone => Interlocked.Read(ref _filesDone);

    public long BytesDone => Interlocked.Read(ref _bytesDone);

    internal void Done(long bytes)
    {
        Interlocked.Increment(ref _filesDone);
        Interlocked.Add(ref _bytesDone, bytes);
    }
}

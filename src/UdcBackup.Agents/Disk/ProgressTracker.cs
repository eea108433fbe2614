namespace UdcBackup.Agents.Disk;

/// <summary>Thread-safe running totals of one transfer, read by the progress reporter while the transfer updates them.</summary>
public sealed class ProgressTracker
{
    private long _bytes;
    private long _files;
    private long _sent;
    private long _resumedBytes;
    private long _resumedFiles;
    private long _changedFiles;

    public void Sent(long bytes)
    {
        Interlocked.Add(ref _sent, bytes);
        Interlocked.Add(ref _bytes, bytes);
    }

    public void FileDone() => Interlocked.Increment(ref _files);

    public void Resumed(long bytes)
    {
        Interlocked.Add(ref _resumedBytes, bytes);
        Interlocked.Add(ref _bytes, bytes);
        Interlocked.Increment(ref _resumedFiles);
    }

    /// <summary>A file was found to have changed while it was read.</summary>
    public void Changed() => Interlocked.Increment(ref _changedFiles);

    public TransferCounters Snapshot() => new()
    {
        Bytes = Interlocked.Read(ref _bytes),
        Files = Interlocked.Read(ref _files),
        SentBytes = Interlocked.Read(ref _sent),
        ResumedBytes = Interlocked.Read(ref _resumedBytes),
        ResumedFiles = Interlocked.Read(ref _resumedFiles),
        ChangedFiles = Interlocked.Read(ref _changedFiles),
    };
}

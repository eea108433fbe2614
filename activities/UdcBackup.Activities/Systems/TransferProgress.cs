namespace UdcBackup.Activities.Systems;

/// <summary>Progress of a stream: bytes and files moved so far (heartbeat details of a stream activity).</summary>
public sealed record TransferProgress(long Bytes, long Files);

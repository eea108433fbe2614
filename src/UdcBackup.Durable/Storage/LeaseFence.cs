namespace UdcBackup.Durable.Storage;

/// <summary>The lease a write set is written under: the run, its owner and the epoch the owner claimed it at.</summary>
public sealed record LeaseFence(string RunId, string OwnerId, long Epoch);

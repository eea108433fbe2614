namespace UdcBackup.Server.Configuration;

/// <summary>Settings of the durable runtime's workers hosted by the controller.</summary>
public sealed class WorkerSettings
{
    /// <summary>How many activity attempts run at the same time on this controller; further ones wait.</summary>
    public int ActivityConcurrency { get; set; } = 64;
}

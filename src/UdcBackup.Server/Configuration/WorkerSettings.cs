namespace UdcBackup.Server.Configuration;

/// <summary>Settings of the durable runtime's workers hosted by the controller.</summary>
public sealed class WorkerSettings
{
    /// <summary>How many activities run at the same time on this controller.</summary>
    public int ActivityConcurrency { get; set; } = 16;

    /// <summary>How many workflow tasks (replay/advance steps) run at the same time.</summary>
    public int WorkflowConcurrency { get; set; } = 4;
}

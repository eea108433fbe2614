namespace UdcBackup.Durable.Client;

/// <summary>What a start does when the workflow id was used before.</summary>
public enum WorkflowIdReusePolicy
{
    /// <summary>Refuse while a run with the id is running; start a new run once it is closed.</summary>
    AllowDuplicate = 0,

    /// <summary>Refuse if any run with the id exists (makes starts idempotent on the id, as schedules need).</summary>
    RejectDuplicate = 1,
}

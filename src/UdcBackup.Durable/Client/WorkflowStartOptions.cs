namespace UdcBackup.Durable.Client;

/// <summary>Options of a workflow start; cloned when used.</summary>
public sealed class WorkflowStartOptions : ICloneable
{
    /// <summary>Gets or sets the workflow id; a random one (GUID) when null.</summary>
    public string? Id { get; set; }

    public WorkflowIdReusePolicy IdReusePolicy { get; set; }

    /// <summary>Gets or sets free text recorded in the Started event (e.g. the schedule that fired).</summary>
    public string? Details { get; set; }

    /// <inheritdoc />
    public object Clone() => MemberwiseClone();
}

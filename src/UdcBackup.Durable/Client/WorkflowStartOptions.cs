namespace UdcBackup.Durable.Client;

/// <summary>Options of a workflow start; cloned when used.</summary>
public sealed class WorkflowStartOptions : ICloneable
{
    /// <summary>Gets or sets the workflow id; a random one (GUID) when null.</summary>
    public string? Id { get; set; }

    public WorkflowIdReusePolicy IdReusePolicy { get; set; }

    /// <summary>Gets or sets free text recorded in the Started event (e.g. the schedule that fired).</summary>
    public string? Details { get; set; }

    /// <summary>
    /// Gets or sets keys the run holds while it runs (e.g. <c>system=web-files</c>): the start is
    /// refused with <see cref="Failures.ExclusiveKeyHeldException"/>, and nothing written, while a
    /// running run holds one of them. The store checks and takes them in the transaction that
    /// inserts the run and releases them in the one that closes it, so two starts on any nodes
    /// cannot both hold a key. The runtime gives keys no meaning; empty (the default) holds none.
    /// </summary>
    public IReadOnlyList<string> ExclusiveKeys { get; set; } = [];

    /// <inheritdoc />
    public object Clone()
    {
        var copy = (WorkflowStartOptions)MemberwiseClone();
        copy.ExclusiveKeys = [.. ExclusiveKeys];
        return copy;
    }
}

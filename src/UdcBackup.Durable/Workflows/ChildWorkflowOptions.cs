namespace UdcBackup.Durable.Workflows;

/// <summary>Options of a child workflow start; cloned when used.</summary>
public sealed class ChildWorkflowOptions : ICloneable
{
    /// <summary>Gets or sets the child's workflow id; defaults to "{parent id}-child-{command id}", which is deterministic.</summary>
    public string? Id { get; set; }

    /// <summary>Gets or sets the token that cancels the child; null means the workflow's own token.</summary>
    public CancellationToken? CancellationToken { get; set; }

    /// <summary>
    /// Gets or sets what the token's cancellation does to a running child: by default (as in
    /// Temporal) a cancel request is recorded and sent to the child and the parent waits for the
    /// child to close (<see cref="ChildWorkflowCancellationType.WaitCancellationCompleted"/>).
    /// </summary>
    public ChildWorkflowCancellationType CancellationType { get; set; } = ChildWorkflowCancellationType.WaitCancellationCompleted;

    /// <inheritdoc />
    public object Clone() => MemberwiseClone();
}

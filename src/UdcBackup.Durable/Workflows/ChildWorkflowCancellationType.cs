namespace UdcBackup.Durable.Workflows;

/// <summary>
/// What happens to a running child workflow when the token of its start (by default the parent's
/// own cancellation token) fires. The names and the default follow Temporal's .NET SDK.
/// </summary>
public enum ChildWorkflowCancellationType
{
    /// <summary>
    /// The parent records a cancel request for the child (delivered to the child as
    /// <c>WorkflowCancelRequested</c>) and keeps waiting until the child closes; the child's own
    /// outcome (usually cancelled, after its finally blocks ran) resolves the parent's await. Default.
    /// </summary>
    WaitCancellationCompleted = 0,

    /// <summary>The parent records and sends the cancel request, and its await fails at once with a cancellation; the child closes on its own time.</summary>
    TryCancel = 1,

    /// <summary>The parent stops waiting; no request is sent and the child runs to its own end.</summary>
    Abandon = 2,
}

using UdcBackup.Durable.History;
using UdcBackup.Durable.Runtime;

namespace UdcBackup.Durable;

/// <summary>
/// Cancellation of child workflows (Temporal's model). Workflow code whose child token fires
/// records <c>ChildWorkflowCancelRequestInitiated</c> in the parent's history; only after that
/// commit the request takes effect: <c>WorkflowCancelRequested</c> is appended to the child
/// (which fires the child's token, so its finally blocks run), then
/// <c>ChildWorkflowCancelRequestDelivered</c> is appended to the parent as the acknowledgement.
/// A crash between the two commits leaves an initiated, unacknowledged request in the parent's
/// history; recovery sends it again. A child that already has a cancel request (the crash came
/// after the child's commit but before the acknowledgement) does not get a second one; a child
/// that closed meanwhile needs none (its close event reaches the parent as usual).
/// </summary>
public sealed partial class DurableRuntime
{
    private async Task SendChildCancelAsync(ExecutionActor parent, int commandId)
    {
        (string WorkflowId, string RunId) child;
        lock (parent.Gate)
        {
            if (!parent.LiveChildren.TryGetValue(commandId, out child))
            {
                return;
            }
        }

        try
        {
            var request = new HistoryEvent { EventType = HistoryEventType.WorkflowCancelRequested, Details = $"parent {parent.WorkflowId} cancelled" };
            var appended = await AppendToRunAsync(child.RunId, [request], target => () =>
            {
                if (target.CancelRequested)
                {
                    return false;
                }

                target.CancelRequested = true;
                return true;
            });
            var alreadyRequested = !appended && FindCached(child.RunId) is { CancelRequested: true, Closing: false };
            if (!appended && !alreadyRequested)
            {
                // Closed meanwhile (its outcome reaches the parent), or not drivable here now (recovery retries).
                return;
            }

            var delivered = new HistoryEvent { EventType = HistoryEventType.ChildWorkflowCancelRequestDelivered, CommandId = commandId, WorkflowId = child.WorkflowId, RunId = child.RunId };
            await AppendAsync(parent, [delivered], () => parent.PendingChildCancels.Remove(commandId));
        }
        catch (Exception ex)
        {
            Log(DurableLogLevel.Warning, $"Sending the cancel request of {parent.WorkflowId} to its child {child.WorkflowId} failed; recovery sends it again.", ex);
        }
    }
}

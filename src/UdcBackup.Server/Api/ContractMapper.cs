using UdcBackup.Durable.Client;
using UdcBackup.Durable.Failures;
using UdcBackup.Durable.History;
using UdcBackup.Durable.Schedules;
using UdcBackup.Server.Api.Contracts;
using UdcBackup.Server.Api.Runs;

namespace UdcBackup.Server.Api;

/// <summary>Maps the runtime's records onto the API's contracts (the wire shape stays ours when the runtime evolves).</summary>
internal static class ContractMapper
{
    public static WorkflowSummary ToContract(this WorkflowExecutionSummary s)
    {
        var outcomes = SystemOutcomes.Of(s.Result);
        return new(s.WorkflowId, s.RunId, s.WorkflowType, s.Status.ToString(), s.StartTime, s.CloseTime) { Systems = outcomes?.Systems, SystemsNotOk = outcomes?.NotOk };
    }

    public static WorkflowDetails ToContract(this WorkflowExecutionDescription d) =>
        new(
            d.WorkflowId,
            d.RunId,
            d.WorkflowType,
            d.Status.ToString(),
            d.StartTime,
            d.CloseTime,
            d.Input,
            d.Result,
            d.Failure?.ToContract(),
            d.ParentWorkflowId,
            [.. d.PendingActivities.Select(ToContract)],
            [.. d.History.Select(ToContract)]);

    public static Failure ToContract(this FailureInfo f) =>
        new(f.Kind, f.Message, f.ErrorType, f.ActivityType, f.Attempt, f.Cause?.ToContract());

    public static ScheduleInfo ToContract(this ScheduleDescription s) =>
        new(
            s.Definition.Id,
            s.Definition.Action.WorkflowType,
            s.Definition.Action.Input,
            s.Definition.Spec.CronExpressions,
            [.. s.Definition.Spec.Intervals.Select(i => i.Every)],
            s.Definition.Spec.TimeZone ?? "UTC",
            s.Definition.Policy.Overlap.ToString(),
            s.Definition.Policy.CatchupWindow,
            s.Paused,
            s.Note,
            s.CreatedAt,
            s.NextFireTimes,
            [.. s.RecentActions.Select(a => new ScheduleAction(a.ScheduledTime, a.ActualTime, a.Outcome, a.WorkflowId, a.Message))],
            s.RunningWorkflowIds,
            s.BufferedFireTime);

    private static PendingActivity ToContract(PendingActivityInfo a) =>
        new(a.ActivityId, a.ActivityType, a.Attempt, a.ScheduledTime, a.LastStartedTime, a.NextAttemptTime, a.LastFailure?.ToContract(), a.HeartbeatDetails, a.LastHeartbeatTime);

    private static HistoryEntry ToContract(HistoryEvent e) =>
        new(e.EventId, e.EventType.ToString(), e.Timestamp, e.CommandId, e.ActivityType, e.Attempt, e.SignalName, e.WorkflowType, e.WorkflowId, e.Input, e.Result, e.Failure?.ToContract(), e.FireAt, e.Details, e.MarkerName);
}

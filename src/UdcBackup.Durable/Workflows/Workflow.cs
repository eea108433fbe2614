using System.Linq.Expressions;
using UdcBackup.Durable.Activities;
using UdcBackup.Durable.Runtime;

namespace UdcBackup.Durable.Workflows;

/// <summary>
/// The API of workflow code (like Temporal's <c>Workflow</c>): usable only from code running
/// on the execution's deterministic scheduler (the run method, signal and query handlers and
/// what they await). Time, randomness and ids come from here so that replay sees the same values.
/// </summary>
public static class Workflow
{
    /// <summary>Gets a value indicating whether the caller runs inside workflow code.</summary>
    public static bool InWorkflow => WorkflowInstance.Current is not null;

    public static WorkflowInfo Info => Instance.Info;

    /// <summary>Gets the token that fires when cancellation of this execution is requested.</summary>
    public static CancellationToken CancellationToken => Instance.CancellationToken;

    /// <summary>Gets the deterministic current time: the time the last applied history event was recorded.</summary>
    public static DateTime UtcNow => Instance.UtcNow;

    /// <summary>Gets a random generator seeded from the run id (same sequence on replay).</summary>
    public static Random Random => Instance.Random;

    /// <summary>Gets a value indicating whether the code is being replayed from history (do not log twice).</summary>
    public static bool IsReplaying => Instance.IsReplaying;

    private static WorkflowInstance Instance =>
        WorkflowInstance.Current ?? throw new InvalidOperationException("The Workflow API is only available inside workflow code.");

    /// <summary>Gets a deterministic version-4 GUID.</summary>
    public static Guid NewGuid() => Instance.NewGuid();

    /// <summary>
    /// Changes workflow code without breaking runs recorded by the code before the change: put the
    /// new commands under <c>if (Workflow.Patched("id"))</c> and keep the old ones in the else.
    /// Returns true (and records a marker) when a run gets here for the first time, and on replay
    /// true only if its history recorded that marker; the answer holds for the rest of the run.
    /// Once no run recorded without the patch can be replayed any more, the check and the old
    /// branch can be removed: a recorded marker nobody asks for is ignored on replay.
    /// </summary>
    public static bool Patched(string patchId) => Instance.Patched(patchId);

    /// <summary>Waits durably: the timer is recorded with its fire time and survives restarts.</summary>
    public static async Task DelayAsync(TimeSpan delay, CancellationToken? cancellationToken = null) =>
        await Instance.StartTimer(delay, cancellationToken);

    /// <summary>Waits until <paramref name="condition"/> holds (true) or the timeout passes (false).</summary>
    public static Task<bool> WaitConditionAsync(Func<bool> condition, TimeSpan? timeout = null, CancellationToken? cancellationToken = null) =>
        Instance.WaitCondition(condition, timeout, cancellationToken);

    public static async Task<TResult> ExecuteActivityAsync<TActivities, TResult>(Expression<Func<TActivities, Task<TResult>>> call, ActivityOptions options)
    {
        var (method, argument) = ExpressionCalls.Read(call);
        return FromJson<TResult>(await Instance.ScheduleActivity(ActivityDefinition.NameOf(method), argument, options));
    }

    public static async Task ExecuteActivityAsync<TActivities>(Expression<Func<TActivities, Task>> call, ActivityOptions options)
    {
        var (method, argument) = ExpressionCalls.Read(call);
        await Instance.ScheduleActivity(ActivityDefinition.NameOf(method), argument, options);
    }

    public static async Task<TResult> ExecuteActivityAsync<TActivities, TResult>(Expression<Func<TActivities, TResult>> call, ActivityOptions options)
    {
        var (method, argument) = ExpressionCalls.Read(call);
        return FromJson<TResult>(await Instance.ScheduleActivity(ActivityDefinition.NameOf(method), argument, options));
    }

    public static async Task ExecuteActivityAsync<TActivities>(Expression<Action<TActivities>> call, ActivityOptions options)
    {
        var (method, argument) = ExpressionCalls.Read(call);
        await Instance.ScheduleActivity(ActivityDefinition.NameOf(method), argument, options);
    }

    /// <summary>Runs the activity registered under <paramref name="activityType"/> with one argument (or null for none).</summary>
    public static async Task<TResult> ExecuteActivityAsync<TResult>(string activityType, object? argument, ActivityOptions options) =>
        FromJson<TResult>(await Instance.ScheduleActivity(activityType, argument, options));

    public static async Task ExecuteActivityAsync(string activityType, object? argument, ActivityOptions options) =>
        await Instance.ScheduleActivity(activityType, argument, options);

    public static async Task<TResult> ExecuteChildWorkflowAsync<TWorkflow, TResult>(Expression<Func<TWorkflow, Task<TResult>>> call, ChildWorkflowOptions? options = null)
    {
        var (method, argument) = ExpressionCalls.Read(call);
        return FromJson<TResult>(await Instance.StartChildWorkflow(WorkflowDefinition.NameOf(method.DeclaringType!), argument, options));
    }

    public static async Task ExecuteChildWorkflowAsync<TWorkflow>(Expression<Func<TWorkflow, Task>> call, ChildWorkflowOptions? options = null)
    {
        var (method, argument) = ExpressionCalls.Read(call);
        await Instance.StartChildWorkflow(WorkflowDefinition.NameOf(method.DeclaringType!), argument, options);
    }

    public static async Task<TResult> ExecuteChildWorkflowAsync<TResult>(string workflowType, object? argument, ChildWorkflowOptions? options = null) =>
        FromJson<TResult>(await Instance.StartChildWorkflow(workflowType, argument, options));

    public static async Task ExecuteChildWorkflowAsync(string workflowType, object? argument, ChildWorkflowOptions? options = null) =>
        await Instance.StartChildWorkflow(workflowType, argument, options);

    private static TResult FromJson<TResult>(System.Text.Json.JsonElement? json) =>
        (TResult)DurableJson.FromElement(json, typeof(TResult))!;
}

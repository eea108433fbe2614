using System.Linq.Expressions;
using System.Text.Json;
using UdcBackup.Durable.Failures;
using UdcBackup.Durable.Runtime;

namespace UdcBackup.Durable.Client;

/// <summary>
/// In-process client of a <see cref="DurableRuntime"/>. Every call that changes an execution
/// returns once the change is committed to the store. Errors: unknown workflow type, signal or
/// query name and input that does not fit the run method's argument give
/// <see cref="ArgumentException"/>; an unknown id gives <see cref="WorkflowNotFoundException"/>;
/// a running id gives <see cref="WorkflowAlreadyStartedException"/>; an exclusive key a running
/// run holds gives <see cref="ExclusiveKeyHeldException"/>; signalling or cancelling a
/// closed execution gives <see cref="InvalidOperationException"/>. Nothing is written on error.
/// </summary>
public sealed class WorkflowClient
{
    private readonly DurableRuntime runtime;

    internal WorkflowClient(DurableRuntime runtime) => this.runtime = runtime;

    /// <summary>Starts a run of the workflow type registered under <paramref name="workflowType"/>; <paramref name="input"/> may be a JsonElement.</summary>
    public async Task<WorkflowHandle> StartWorkflowAsync(string workflowType, object? input, WorkflowStartOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (id, runId, previous) = await runtime.StartWorkflowAsync(workflowType, input, options, cancellationToken);
        return new WorkflowHandle(this, id, runId) { PreviousRun = previous };
    }

    /// <summary>Starts a run from a call expression, e.g. <c>(MyWorkflow w) =&gt; w.RunAsync(input)</c>.</summary>
    public Task<WorkflowHandle> StartWorkflowAsync<TWorkflow>(Expression<Func<TWorkflow, Task>> run, WorkflowStartOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (method, argument) = ExpressionCalls.Read(run);
        return StartWorkflowAsync(WorkflowDefinition.NameOf(method.DeclaringType!), argument, options, cancellationToken);
    }

    /// <summary>Starts a run and waits for its result.</summary>
    public async Task<TResult> ExecuteWorkflowAsync<TResult>(string workflowType, object? input, WorkflowStartOptions? options = null, CancellationToken cancellationToken = default)
    {
        var handle = await StartWorkflowAsync(workflowType, input, options, cancellationToken);
        return await handle.GetResultAsync<TResult>(cancellationToken);
    }

    /// <summary>Appends a signal to the running execution's history; returns once it is durable.</summary>
    public Task SignalAsync(string workflowId, string signalName, object? argument = null, CancellationToken cancellationToken = default) =>
        runtime.SignalAsync(workflowId, signalName, argument, cancellationToken);

    /// <summary>Reads live state through a query handler; never changes history.</summary>
    public async Task<TResult> QueryAsync<TResult>(string workflowId, string queryName, object? argument = null, CancellationToken cancellationToken = default) =>
        (TResult)DurableJson.FromElement(await runtime.QueryAsync(workflowId, null, queryName, argument, cancellationToken), typeof(TResult))!;

    /// <summary>Reads live state through a query handler, as JSON.</summary>
    public Task<JsonElement?> QueryAsync(string workflowId, string queryName, object? argument = null, CancellationToken cancellationToken = default) =>
        runtime.QueryAsync(workflowId, null, queryName, argument, cancellationToken);

    /// <summary>
    /// Requests cancellation: recorded in history, then the workflow's CancellationToken fires. A run
    /// that already has a cancel request records nothing more; the answer then is the recorded
    /// request, with <see cref="WorkflowCancelRequest.AlreadyRequested"/> set.
    /// </summary>
    public Task<WorkflowCancelRequest> CancelAsync(string workflowId, string? reason = null, CancellationToken cancellationToken = default) =>
        runtime.CancelAsync(workflowId, reason, cancellationToken);

    /// <summary>Describes the latest run of the id (or the given run): status, result or failure, pending activities, full history.</summary>
    public Task<WorkflowExecutionDescription> DescribeAsync(string workflowId, string? runId = null, CancellationToken cancellationToken = default) =>
        runtime.DescribeAsync(workflowId, runId, cancellationToken);

    public Task<IReadOnlyList<WorkflowExecutionSummary>> ListAsync(WorkflowListFilter? filter = null, CancellationToken cancellationToken = default) =>
        runtime.ListAsync(filter ?? new WorkflowListFilter(), cancellationToken);

    /// <summary>Waits until the run closes; returns its result or throws <see cref="WorkflowFailedException"/>.</summary>
    public async Task<TResult> GetResultAsync<TResult>(string workflowId, string? runId = null, CancellationToken cancellationToken = default)
    {
        var close = await runtime.WaitForCloseAsync(workflowId, runId, cancellationToken);
        if (close.Status != WorkflowExecutionStatus.Completed)
        {
            throw new WorkflowFailedException(workflowId, close.RunId, close.Status, close.Failure?.ToException());
        }

        return (TResult)DurableJson.FromElement(close.Result, typeof(TResult))!;
    }
}

using System.Text.Json;

namespace UdcBackup.Durable.Client;

/// <summary>A started run, with shortcuts to the client operations on its workflow id.</summary>
public sealed class WorkflowHandle
{
    private readonly WorkflowClient client;

    internal WorkflowHandle(WorkflowClient client, string id, string runId)
    {
        this.client = client;
        Id = id;
        RunId = runId;
    }

    public string Id { get; }

    public string RunId { get; }

    /// <summary>Gets the latest earlier run of the workflow id given at start, when it had one (a closed id may be used again); null for a new id.</summary>
    public WorkflowExecutionSummary? PreviousRun { get; init; }

    public Task<TResult> GetResultAsync<TResult>(CancellationToken cancellationToken = default) =>
        client.GetResultAsync<TResult>(Id, RunId, cancellationToken);

    public Task GetResultAsync(CancellationToken cancellationToken = default) =>
        client.GetResultAsync<JsonElement?>(Id, RunId, cancellationToken);

    public Task SignalAsync(string signalName, object? argument = null, CancellationToken cancellationToken = default) =>
        client.SignalAsync(Id, signalName, argument, cancellationToken);

    public Task<TResult> QueryAsync<TResult>(string queryName, object? argument = null, CancellationToken cancellationToken = default) =>
        client.QueryAsync<TResult>(Id, queryName, argument, cancellationToken);

    public Task<WorkflowCancelRequest> CancelAsync(string? reason = null, CancellationToken cancellationToken = default) =>
        client.CancelAsync(Id, reason, cancellationToken);

    public Task<WorkflowExecutionDescription> DescribeAsync(CancellationToken cancellationToken = default) =>
        client.DescribeAsync(Id, RunId, cancellationToken);
}

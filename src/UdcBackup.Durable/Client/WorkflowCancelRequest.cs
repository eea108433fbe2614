namespace UdcBackup.Durable.Client;

/// <summary>
/// The answer to a cancel request: the run's one recorded cancel request. A run keeps the first
/// request it got; a later one records nothing and answers with the first
/// (<see cref="AlreadyRequested"/>), so an operator who asks twice sees one request in history.
/// </summary>
/// <param name="WorkflowId">The workflow id.</param>
/// <param name="RunId">The running run the request is for.</param>
/// <param name="RequestedAt">When the recorded request was made; null only while an earlier request is still being written.</param>
/// <param name="Reason">The recorded request's reason (who asked and why, as the caller worded it).</param>
/// <param name="AlreadyRequested">True when the run already had a cancel request and nothing was recorded now.</param>
public sealed record WorkflowCancelRequest(string WorkflowId, string RunId, DateTime? RequestedAt, string? Reason, bool AlreadyRequested);

using Microsoft.AspNetCore.Http;

namespace UdcBackup.Agents.Hosting;

/// <summary>
/// A request failure no endpoint answered itself, as the agent reports it: the HTTP status, a
/// title, a detail naming what failed (the exception's kind and message, never its stack) with
/// the trace id, the trace id under which the agent's log holds the whole exception, and a
/// problem type the controller acts on (<see cref="AgentProblemTypes"/>; null: none).
/// </summary>
internal sealed record AgentFailure(int Status, string Title, string Detail, string TraceId, string? Type = null)
{
    /// <summary>Problem details (RFC 7807) with the trace id as the <c>traceId</c> member.</summary>
    public IResult ToProblem() =>
        Results.Problem(detail: Detail, statusCode: Status, title: Title, type: Type, extensions: new Dictionary<string, object?> { ["traceId"] = TraceId });
}

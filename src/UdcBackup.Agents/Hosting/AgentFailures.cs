using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UdcBackup.Agents.Audit;
using UdcBackup.Agents.Tls;
using UdcBackup.Archive;

namespace UdcBackup.Agents.Hosting;

/// <summary>
/// What an agent does with an exception that escapes an endpoint (the endpoints answer the
/// failures they expect themselves: refusals, broken streams, session conflicts):
/// <list type="bullet">
/// <item>the peer closed the connection (the request's abort token fired, and the exception is
/// the cancellation or I/O error that followed): no answer can reach it, so none is written and
/// the agent's log gets an information line, not an error;</item>
/// <item>anything else is logged as one line with the request's trace id and the whole exception
/// (<see cref="LogCategory"/>, standard error of <c>udc agent</c>), audited as
/// <see cref="AuditDecision.Failed"/> with the same trace id, and answered as problem details
/// (<see cref="AgentFailure"/>) with the status of <see cref="Classify"/>; when the answer had
/// already begun (a stream), the connection is aborted instead, so the peer sees a broken answer
/// and never one that looks complete.</item>
/// </list>
/// </summary>
internal static partial class AgentFailures
{
    /// <summary>The log category of the agents' own lines (the only one an agent logs).</summary>
    public const string LogCategory = "UdcBackup.Agents";

    /// <summary>Puts the failure handling around every endpoint of <paramref name="app"/>.</summary>
    public static void Use(WebApplication app, AuditLog audit, string agent)
    {
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception ex) when (PeerGone(context, ex))
            {
                var logger = Logger(context);
                string path = context.Request.Path, peer = Peer(context);
                PeerLeft(logger, context.Request.Method, path, peer, ex.Message, context.TraceIdentifier);
            }
            catch (Exception ex)
            {
                var failure = Report(context, audit, agent, ex);
                if (context.Response.HasStarted)
                {
                    context.Abort();
                    return;
                }

                context.Response.Clear();
                await failure.ToProblem().ExecuteAsync(context);
            }
        });
    }

    /// <summary>
    /// True when <paramref name="ex"/> is what the peer's leaving caused (a cancellation or an
    /// I/O error after the request's abort token fired): not a failure of the agent.
    /// </summary>
    public static bool PeerGone(HttpContext context, Exception ex)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.RequestAborted.IsCancellationRequested && ex is OperationCanceledException or IOException or ObjectDisposedException;
    }

    /// <summary>
    /// Logs <paramref name="ex"/> with the request's trace id, audits the request as failed and
    /// returns the answer to give; for endpoints that must answer in their own format (an NDJSON
    /// error line, an upgraded stream's reply line) after their answer has begun.
    /// </summary>
    public static AgentFailure Report(HttpContext context, AuditLog audit, string agent, Exception ex, string? action = null, string? jobId = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(ex);
        var traceId = context.TraceIdentifier;
        var (status, title) = Classify(ex, agent);
        var what = ex is ArchiveException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
        var failure = new AgentFailure(status, title, $"{what} (trace id {traceId} in the {agent}'s log)", traceId, ProblemType(ex));
        var logger = Logger(context);
        string path = context.Request.Path, peer = Peer(context);
        var level = status >= StatusCodes.Status500InternalServerError ? LogLevel.Error : LogLevel.Warning;
        Failed(logger, level, ex, context.Request.Method, path, peer, status, traceId);
        try
        {
            audit.Append(peer, action ?? Route(context), AuditDecision.Failed, $"{status} {title}: {failure.Detail}", path, jobId);
        }
        catch (Exception auditFailure) when (auditFailure is IOException or UnauthorizedAccessException)
        {
            AuditNotWritten(logger, auditFailure, traceId);
        }

        return failure;
    }

    /// <summary>
    /// The status and title of a failure, the one mapping of archive errors to HTTP: an invalid
    /// argument is the request's fault (400), a lock or an existing repository a conflict that a
    /// retry may pass (409); a repository whose file system is full is 507 (Insufficient Storage);
    /// damaged stored data, a repository the agent cannot open and I/O failures of the agent's own
    /// storage are the agent's (500, damaged data named as such in the title). Any other exception is 500.
    /// </summary>
    public static (int Status, string Title) Classify(Exception ex, string agent) => ex switch
    {
        BadHttpRequestException bad => (bad.StatusCode, "The request is malformed"),
        ArchiveException { Code: ArchiveErrorCode.InvalidArgument } => (StatusCodes.Status400BadRequest, "The repository refused the request"),
        ArchiveException { Code: ArchiveErrorCode.Locked } => (StatusCodes.Status409Conflict, "The repository is busy; retry later"),
        ArchiveException { Code: ArchiveErrorCode.AlreadyExists } => (StatusCodes.Status409Conflict, "The repository already holds it"),
        ArchiveException { Code: ArchiveErrorCode.DamagedRepository } => (StatusCodes.Status500InternalServerError, "The repository holds damaged data"),
        ArchiveException { Code: ArchiveErrorCode.NoSpace } => (StatusCodes.Status507InsufficientStorage, "The repository has no space left"),
        _ => (StatusCodes.Status500InternalServerError, $"The {agent} failed to handle the request"),
    };

    /// <summary>The problem type of a failure the controller must not retry (<see cref="AgentProblemTypes"/>), or null.</summary>
    public static string? ProblemType(Exception ex) => ex switch
    {
        ArchiveException { Code: ArchiveErrorCode.DamagedRepository } => AgentProblemTypes.DamagedData,
        ArchiveException { Code: ArchiveErrorCode.NoSpace } => AgentProblemTypes.NoSpace,
        _ => null,
    };

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(LogCategory);

    private static string Peer(HttpContext context) =>
        MutualTls.PeerIdentity(context)?.ToString() ?? PeerAuthorization.Unauthenticated;

    // The endpoint's route ("POST /v1/sessions/{sessionId}/seal"); the audit target holds the actual path.
    private static string Route(HttpContext context) =>
        $"{context.Request.Method} {(context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.ToString()}";

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} from {Peer}: the connection closed before the answer was complete ({Reason}), trace id {TraceId}")]
    private static partial void PeerLeft(ILogger logger, string method, string path, string peer, string reason, string traceId);

    [LoggerMessage(Message = "{Method} {Path} from {Peer} failed with {Status}, trace id {TraceId}")]
    private static partial void Failed(ILogger logger, LogLevel level, Exception exception, string method, string path, string peer, int status, string traceId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The audit record of the failed request with trace id {TraceId} could not be written")]
    private static partial void AuditNotWritten(ILogger logger, Exception exception, string traceId);
}

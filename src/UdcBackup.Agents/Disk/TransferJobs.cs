using Microsoft.AspNetCore.Http;
using UdcBackup.Agents.Audit;
using UdcBackup.Agents.Hosting;
using UdcBackup.Agents.Identity;
using UdcBackup.Archive;
using UdcBackup.Archive.Restore;

namespace UdcBackup.Agents.Disk;

/// <summary>
/// The disk agent's transfer endpoints (<c>POST /v1/jobs/backup</c>, <c>POST /v1/jobs/restore</c>
/// and its dry check <c>POST /v1/jobs/restore/check</c>, controller only). Paths are checked against the configured data paths and restore roots after
/// resolving symbolic links, so a controller request cannot read or write elsewhere on the system;
/// then the transfer runs with <see cref="MediaTransferClient"/> under the job token. With
/// <c>Accept: application/x-ndjson</c> the answer is a progress stream (<see cref="ProgressReporter"/>),
/// otherwise one JSON document at the end. Accepted, refused and failed transfers are audited; a
/// media agent refusal is passed back with its status (403/404/409/400), a media agent failure
/// (5xx) with its status, detail and problem type (damaged data, a full repository: neither is
/// retried by the controller), a data path that does not exist is refused (404), a restore target
/// that fills up is 507 with <see cref="AgentProblemTypes.RestoreTargetNoSpace"/> (not retried either), transport
/// failures are 502; any other failure is answered by <see cref="AgentFailures"/> (in the error
/// line once the progress answer has begun).
/// </summary>
internal sealed class TransferJobs(DiskAgentOptions options, AgentCredentials credentials, AuditLog audit, TimeProvider time)
{
    public async Task BackupAsync(HttpContext context, TransferJobRequest request)
    {
        const string action = "job.backup";
        var peer = PeerAuthorization.RequireRole(context, audit, action, AgentRole.Controller);
        if (peer is null)
        {
            await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Only the controller starts transfers").ExecuteAsync(context);
            return;
        }

        var outside = request.Paths.FirstOrDefault(p => !IsInside(p, options.DataPaths));
        var sealOnly = request.Paths.Length == 0 && request.Seal && request.SessionId is not null;
        if ((request.Paths.Length == 0 && !sealOnly) || outside is not null)
        {
            var reason = outside is null ? "no paths given" : $"'{outside}' is not inside the configured data paths";
            audit.Refused(peer.ToString(), action, reason, jobId: request.JobId);
            await Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Backup refused", detail: reason).ExecuteAsync(context);
            return;
        }

        // A data path that is not there is the site's mistake, not a transport failure: refused
        // with its name (not retried), instead of a 502 after the stream found nothing to read.
        var missing = request.Paths.FirstOrDefault(p => !Path.Exists(p));
        if (missing is not null)
        {
            var reason = $"'{missing}' does not exist on this system";
            audit.Refused(peer.ToString(), action, reason, jobId: request.JobId);
            await Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Backup refused", detail: reason).ExecuteAsync(context);
            return;
        }

        await TransferAsync(context, peer, action, request, async (client, tracker, reporter) =>
        {
            var outcome = await client.BackupToSessionAsync(request, tracker, reporter is null ? null : reporter.StartAsync, context.RequestAborted);
            var resumed = request.ResumeFrom is { } from ? $"; controller's last progress {from.Bytes} bytes/{from.Files} files" : string.Empty;
            var summary = $"{(outcome.Snapshot is { } s ? $"snapshot {s.Id}" : $"session {outcome.SessionId} stream {outcome.Stream}")}, " +
                $"{outcome.Progress.SentBytes} bytes sent, {outcome.Progress.ResumedFiles} held files skipped{resumed}, {outcome.Warnings.Count} warning(s)";
            return (new TransferLine(TransferLine.ResultType) { Backup = outcome }, outcome, summary);
        });
    }

    public async Task RestoreAsync(HttpContext context, TransferJobRequest request)
    {
        const string action = "job.restore";
        if (await AdmitRestoreAsync(context, request, action, "Only the controller starts transfers") is not { } peer)
        {
            return;
        }

        var target = request.Target!;
        await TransferAsync(context, peer, action, request, async (client, tracker, reporter) =>
        {
            if (reporter is not null)
            {
                await reporter.StartAsync(new TransferCounters());
            }

            var restore = new RestoreOptions { Target = target, Includes = request.Includes };
            var seen = request.ReplaceRoots.Length > 0 ? new HashSet<string>(StringComparer.Ordinal) : null;
            var result = await client.RestoreAsync(request.Token, restore, tracker, seen, context.RequestAborted);

            // Only a restore whose stream was written completely gets here: replace roots drop what the snapshot does not hold.
            var replaced = seen is null ? string.Empty : "; " + string.Join(", ", request.ReplaceRoots.Select(root =>
                RestoreReplacer.Prune(root, seen) is { } removed ? $"{root}: {removed} entries not in the snapshot removed" : $"{root}: not in the snapshot, left as it was"));
            return (new TransferLine(TransferLine.ResultType) { Restore = result }, result, $"{result.FilesRestored} file(s) restored, {result.FilesAlreadyCorrect} already correct{replaced}");
        });
    }

    /// <summary>
    /// <c>POST /v1/jobs/restore/check</c>: would <see cref="RestoreAsync"/> accept this order? The
    /// same checks, nothing written and no media agent contacted (the token is not used), so the
    /// controller can refuse a restore before it stops any program. 200 or 400 with the reason;
    /// audited as <c>job.restore-check</c>.
    /// </summary>
    public async Task CheckRestoreAsync(HttpContext context, TransferJobRequest request)
    {
        const string action = "job.restore-check";
        if (await AdmitRestoreAsync(context, request, action, "Only the controller checks restores") is not { } peer)
        {
            return;
        }

        audit.Accepted(peer.ToString(), action, $"target '{request.Target}' with {request.Includes.Length} include(s) is inside the configured restore roots", jobId: request.JobId);
        await Results.Json(new { accepted = true }).ExecuteAsync(context);
    }

    // The controller's role and the restore roots, for the restore and its check alike: the caller, or null once the refusal was answered and audited.
    private async Task<SystemIdentity?> AdmitRestoreAsync(HttpContext context, TransferJobRequest request, string action, string forbidden)
    {
        var peer = PeerAuthorization.RequireRole(context, audit, action, AgentRole.Controller);
        if (peer is null)
        {
            await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: forbidden).ExecuteAsync(context);
            return null;
        }

        if (RestoreRefusal(request) is { } reason)
        {
            audit.Refused(peer.ToString(), action, reason, jobId: request.JobId);
            await Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Restore refused", detail: reason).ExecuteAsync(context);
            return null;
        }

        return peer;
    }

    // Why a restore order would be refused (null: accepted); the restore and its check share it.
    private string? RestoreRefusal(TransferJobRequest request)
    {
        var replaceOutside = request.ReplaceRoots.FirstOrDefault(r => request.Target is null || !ReplaceAllowed(r, request.Target, request.Includes));
        if (request.Target is not { } target || !RestoreAllowed(target, request.Includes))
        {
            return $"restore target '{request.Target}' is not inside the configured restore roots ({OutsideRoots(request.Target, request.Includes)})";
        }

        return replaceOutside is null ? null : $"replace root '{replaceOutside}' is not one of the restored paths inside the configured restore roots";
    }

    // What lies outside, for the operator: the first restored path that would be written outside
    // every restore root, and the roots (the controller is trusted with this agent's configuration).
    private string OutsideRoots(string? target, string[] includes)
    {
        var roots = options.RestoreRoots.Count == 0 ? "none are configured" : "roots: " + string.Join(", ", options.RestoreRoots);
        if (target is null || !Path.IsPathFullyQualified(target))
        {
            return $"the target is not an absolute path; {roots}";
        }

        var outside = includes.FirstOrDefault(include => RestorePathGuard.LiteralInclude(include) is not { } relative || !IsInside(Path.Join(target, relative), options.RestoreRoots));
        return outside is null
            ? roots
            : RestorePathGuard.LiteralInclude(outside) is { } path
                ? $"'{outside}' would be written at '{Path.Join(target, path)}'; {roots}"
                : $"'{outside}' is a pattern, not a path; {roots}";
    }

    /// <summary>
    /// A target inside a restore root is accepted as before. Any other absolute target (typically
    /// "/", restoring data sets to their original places) is accepted only when there are includes,
    /// each a literal path (no pattern) that, joined to the target, lies inside a restore root after
    /// normalising and resolving links; the stream is then held to those paths.
    /// </summary>
    private bool RestoreAllowed(string target, string[] includes)
    {
        if (!Path.IsPathFullyQualified(target))
        {
            return false;
        }

        if (IsInside(target, options.RestoreRoots))
        {
            return true;
        }

        return includes.Length > 0 && includes.All(include =>
            RestorePathGuard.LiteralInclude(include) is { } relative && IsInside(Path.Join(target, relative), options.RestoreRoots));
    }

    // A replace root must be where a literal include is written (so its content is the snapshot's),
    // inside a restore root, and never '/'.
    private bool ReplaceAllowed(string root, string target, string[] includes) =>
        Path.IsPathFullyQualified(root) && root.Trim('/').Length > 0 && Path.IsPathFullyQualified(target)
        && includes.Any(include => RestorePathGuard.LiteralInclude(include) is { } relative && RestoreReplacer.Absolute(target, relative) == RestoreReplacer.Absolute("/", root))
        && IsInside(root, options.RestoreRoots);

    private static bool IsInside(string path, IEnumerable<string> roots)
    {
        if (!Path.IsPathFullyQualified(path))
        {
            return false;
        }

        var resolved = RealPath.Resolve(path);
        return roots.Select(RealPath.Resolve).Any(root => resolved == root || RealPath.IsInside(resolved, root));
    }

    private async Task TransferAsync(
        HttpContext context,
        SystemIdentity peer,
        string action,
        TransferJobRequest request,
        Func<MediaTransferClient, ProgressTracker, ProgressReporter?, Task<(TransferLine Line, object Document, string Summary)>> transfer)
    {
        if (!Uri.TryCreate(request.MediaAgentUrl, UriKind.Absolute, out var media) || media.Scheme != Uri.UriSchemeHttps)
        {
            audit.Refused(peer.ToString(), action, $"media agent URL '{request.MediaAgentUrl}' is not https", jobId: request.JobId);
            await Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad media agent URL").ExecuteAsync(context);
            return;
        }

        var tracker = new ProgressTracker();
        await using var reporter = ProgressReporter.Wanted(context) ? new ProgressReporter(context, tracker, time) : null;
        using var client = new MediaTransferClient(credentials, media, request.MediaAgentId, time);
        try
        {
            var (line, document, summary) = await transfer(client, tracker, reporter);
            audit.Accepted(peer.ToString(), action, summary, request.MediaAgentId, request.JobId);
            if (reporter is not null)
            {
                await reporter.FinishAsync(line);
            }
            else
            {
                await Results.Json(document).ExecuteAsync(context);
            }
        }
        catch (MediaTransferRefusedException ex)
        {
            // A 5xx is the media agent's own failure (its detail names its log's trace id), not a refusal.
            var failed = (int)ex.Status >= StatusCodes.Status500InternalServerError;
            audit.Append(peer.ToString(), action, failed ? AuditDecision.Failed : AuditDecision.Refused, ex.Message, request.MediaAgentId, request.JobId);
            await FailAsync(context, reporter, (int)ex.Status, failed ? "The media agent failed the transfer" : "The media agent refused the transfer", ex.Message, ex.ProblemType);
        }
        catch (ArchiveException ex) when (ex.Code == ArchiveErrorCode.NoSpace && !AgentFailures.PeerGone(context, ex))
        {
            // On this host the archive writes only restore targets: a full one stays full on every
            // retry, so it is no transport failure (502, retried) but 507 with a type the controller does not retry.
            audit.Append(peer.ToString(), action, AuditDecision.Failed, $"failed after {tracker.Snapshot().SentBytes} bytes: {ex.Message}", request.MediaAgentId, request.JobId);
            await FailAsync(context, reporter, StatusCodes.Status507InsufficientStorage, "The restore target has no space left", ex.Message, AgentProblemTypes.RestoreTargetNoSpace);
        }
        catch (Exception ex) when (!AgentFailures.PeerGone(context, ex)
            && ex is HttpRequestException or InvalidDataException or IOException or ArchiveException or OperationCanceledException)
        {
            audit.Append(peer.ToString(), action, AuditDecision.Failed, $"failed after {tracker.Snapshot().SentBytes} bytes: {ex.Message}", request.MediaAgentId, request.JobId);
            await FailAsync(context, reporter, StatusCodes.Status502BadGateway, "Transfer failed", ex.Message);
        }
        catch (Exception ex) when (reporter is { Started: true } && !AgentFailures.PeerGone(context, ex))
        {
            // The progress answer has begun: the failure goes in its error line, with the trace id of the log line.
            var failure = AgentFailures.Report(context, audit, "disk agent", ex, action, request.JobId);
            await FailAsync(context, reporter, failure.Status, failure.Title, failure.Detail, failure.Type);
        }
    }

    // The problem type (damaged data, no space in the repository or the restore target) goes to the controller either way, so it does not retry what cannot pass.
    private static async Task FailAsync(HttpContext context, ProgressReporter? reporter, int status, string title, string detail, string? type = null)
    {
        if (reporter is { Started: true })
        {
            await reporter.FinishAsync(new TransferLine(TransferLine.ErrorType) { Error = new TransferError(status, title, detail, type) });
        }
        else
        {
            await Results.Problem(statusCode: status, title: title, detail: detail, type: type).ExecuteAsync(context);
        }
    }
}

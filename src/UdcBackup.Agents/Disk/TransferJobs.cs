using Microsoft.AspNetCore.Http;
using UdcBackup.Agents.Audit;
using UdcBackup.Agents.Hosting;
using UdcBackup.Agents.Identity;
using UdcBackup.Archive.Restore;

namespace UdcBackup.Agents.Disk;

/// <summary>
/// The disk agent's transfer endpoints (<c>POST /v1/jobs/backup</c>, <c>POST /v1/jobs/restore</c>,
/// controller only). Paths are checked against the configured data paths and restore roots after
/// resolving symbolic links, so a controller request cannot read or write elsewhere on the system;
/// then the transfer runs with <see cref="MediaTransferClient"/> under the job token. Accepted,
/// refused and failed transfers are audited; a media agent refusal is passed back as 403/400.
/// </summary>
internal sealed class TransferJobs(DiskAgentOptions options, AgentCredentials credentials, AuditLog audit, TimeProvider time)
{
    public async Task<IResult> BackupAsync(HttpContext context, TransferJobRequest request)
    {
        const string action = "job.backup";
        var peer = PeerAuthorization.RequireRole(context, audit, action, AgentRole.Controller);
        if (peer is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Only the controller starts transfers");
        }

        var outside = request.Paths.FirstOrDefault(p => !IsInside(p, options.DataPaths));
        if (request.Paths.Length == 0 || outside is not null)
        {
            var reason = outside is null ? "no paths given" : $"'{outside}' is not inside the configured data paths";
            audit.Refused(peer.ToString(), action, reason, jobId: request.JobId);
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Backup refused", detail: reason);
        }

        return await TransferAsync(peer, action, request, async client =>
        {
            var outcome = await client.BackupAsync(request.Paths, request.Token, context.RequestAborted);
            return (Results.Json(outcome), $"snapshot {outcome.Snapshot.Id}, {outcome.Warnings.Count} warning(s)");
        });
    }

    public async Task<IResult> RestoreAsync(HttpContext context, TransferJobRequest request)
    {
        const string action = "job.restore";
        var peer = PeerAuthorization.RequireRole(context, audit, action, AgentRole.Controller);
        if (peer is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Only the controller starts transfers");
        }

        if (request.Target is null || !IsInside(request.Target, options.RestoreRoots))
        {
            var reason = $"restore target '{request.Target}' is not inside the configured restore roots";
            audit.Refused(peer.ToString(), action, reason, jobId: request.JobId);
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Restore refused", detail: reason);
        }

        return await TransferAsync(peer, action, request, async client =>
        {
            var result = await client.RestoreAsync(request.Token, new RestoreOptions { Target = request.Target }, context.RequestAborted);
            return (Results.Json(result), $"{result.FilesRestored} file(s) restored");
        });
    }

    private static bool IsInside(string path, IEnumerable<string> roots)
    {
        if (!Path.IsPathFullyQualified(path))
        {
            return false;
        }

        var resolved = RealPath.Resolve(path);
        return roots.Select(RealPath.Resolve).Any(root => resolved == root || RealPath.IsInside(resolved, root));
    }

    private async Task<IResult> TransferAsync(SystemIdentity peer, string action, TransferJobRequest request, Func<MediaTransferClient, Task<(IResult Result, string Summary)>> transfer)
    {
        if (!Uri.TryCreate(request.MediaAgentUrl, UriKind.Absolute, out var media) || media.Scheme != Uri.UriSchemeHttps)
        {
            audit.Refused(peer.ToString(), action, $"media agent URL '{request.MediaAgentUrl}' is not https", jobId: request.JobId);
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad media agent URL");
        }

        using var client = new MediaTransferClient(credentials, media, request.MediaAgentId, time);
        try
        {
            var (result, summary) = await transfer(client);
            audit.Accepted(peer.ToString(), action, summary, request.MediaAgentId, request.JobId);
            return result;
        }
        catch (MediaTransferRefusedException ex)
        {
            audit.Refused(peer.ToString(), action, ex.Message, request.MediaAgentId, request.JobId);
            return Results.Problem(statusCode: (int)ex.Status, title: "The media agent refused the transfer", detail: ex.Message);
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidDataException or IOException or UdcBackup.Archive.ArchiveException)
        {
            audit.Append(peer.ToString(), action, AuditDecision.Accepted, $"failed: {ex.Message}", request.MediaAgentId, request.JobId);
            return Results.Problem(statusCode: StatusCodes.Status502BadGateway, title: "Transfer failed", detail: ex.Message);
        }
    }
}

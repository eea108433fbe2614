using Microsoft.AspNetCore.Builder;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using UdcBackup.Agents.Audit;
using UdcBackup.Agents.Hosting;
using UdcBackup.Agents.Tls;
using UdcBackup.Archive.Streaming;

namespace UdcBackup.Agents.Media.Sessions;

/// <summary>
/// The media agent's session routes (disk agents with a backup job token):
/// <c>POST /v1/sessions/{sessionId}</c> open, <c>PUT /v1/sessions/{sessionId}/streams/{stream}</c>
/// (header <c>X-Udc-Session-Epoch</c>) send, <c>POST /v1/sessions/{sessionId}/seal</c> seal. The
/// session belongs to the token's system and job, so another job's token never reaches it. The open
/// answers <see cref="SessionState.Http11Streams"/>: the listener takes HTTP/1.1 as well, and an
/// entry stream costs about half the CPU over it (no HTTP/2 framing and flow control);
/// <see cref="SessionState.UpgradeStreams"/>: the stream may come as an HTTP/1.1 upgrade to
/// <see cref="AgentHeaders.EntryStreamUpgrade"/>, the entry stream then runs on the bare TLS
/// connection (no chunked encoding) and the receipt or failure comes back as one
/// <see cref="StreamReply"/> line; and
/// <see cref="SessionState.EntryStreamVersion"/>: the stream may mark files that changed while
/// read (a stream that names such files is audited with their names). Each
/// request is authorized and audited by <see cref="MediaAccessPolicy"/>; a
/// <see cref="SessionException"/> becomes problem details with its status, any other failure is
/// answered by <see cref="AgentFailures"/> (on an upgraded stream, in the reply line, with the same
/// problem type: a full repository is 507 <see cref="AgentProblemTypes.NoSpace"/> either way).
/// </summary>
internal static class MediaSessionEndpoints
{
    /// <summary>How many changed files an audit record names (the receipt and the snapshot's warnings name all).</summary>
    private const int AuditedChangedPaths = 20;

    public static void Map(WebApplication app, MediaAccessPolicy policy, AuditLog audit, BackupSessionRegistry sessions)
    {
        app.MapPost("/v1/sessions/{sessionId}", (HttpContext context, string sessionId, SessionOpenRequest request) =>
            RunAsync(context, policy, "session.open", async claims => Results.Json(await sessions.OpenAsync(claims.SystemId, claims.JobId, sessionId, request, context.RequestAborted) with { Http11Streams = true, UpgradeStreams = true, EntryStreamVersion = EntryStreamWriter.LatestVersion })));

        app.MapPut("/v1/sessions/{sessionId}/streams/{stream}", (HttpContext context, string sessionId, string stream) =>
        {
            // Upgraded: the 101 goes out only after the registry accepted session, stream and
            // epoch, so those refusals keep their HTTP status; later failures go in the reply line.
            // Audited under its own action, so the log shows which transport carried the data.
            var upgrade = context.Features.Get<IHttpUpgradeFeature>();
            var upgradable = upgrade is { IsUpgradableRequest: true }
                && string.Equals(context.Request.Headers.Upgrade, AgentHeaders.EntryStreamUpgrade, StringComparison.OrdinalIgnoreCase);
            return RunAsync(context, policy, upgradable ? "session.stream.upgrade" : "session.stream", async claims =>
            {
                if (!long.TryParse(context.Request.Headers[AgentHeaders.SessionEpoch], out var epoch))
                {
                    return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: $"Header {AgentHeaders.SessionEpoch} is missing");
                }

                Stream? raw = null;
                try
                {
                    var receipt = await sessions.ReceiveAsync(claims.SystemId, claims.JobId, sessionId, stream, epoch, upgradable
                        ? async () => raw = await upgrade!.UpgradeAsync()
                        : () => ValueTask.FromResult(context.Request.Body), context.RequestAborted);
                    if (receipt.Changed.Count > 0)
                    {
                        var named = string.Join(", ", receipt.Changed.Take(AuditedChangedPaths).Select(p => $"'{p}'"));
                        var more = receipt.Changed.Count > AuditedChangedPaths ? $" and {receipt.Changed.Count - AuditedChangedPaths} more" : string.Empty;
                        audit.Accepted(MutualTls.PeerIdentity(context)!.ToString(), "session.stream.changed", $"{receipt.Changed.Count} file(s) changed while the disk agent read them, stored as read and marked to be read again: {named}{more}", sessionId, claims.JobId);
                    }

                    return raw is null ? Results.Json(receipt) : await ReplyAsync(raw, new StreamReply(StatusCodes.Status200OK, receipt), context.RequestAborted);
                }
                catch (Exception ex) when (SessionStreamReceiver.IsBrokenStream(ex))
                {
                    const string Broken = "Broken entry stream; what arrived completely is kept for a resume";
                    return raw is null
                        ? Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: Broken, detail: ex.Message)
                        : await ReplyAsync(raw, new StreamReply(StatusCodes.Status400BadRequest, null, Broken, ex.Message), context.RequestAborted);
                }
                catch (SessionException ex) when (raw is not null)
                {
                    return await ReplyAsync(raw, new StreamReply(ex.Status, null, "Session request refused", ex.Message), context.RequestAborted);
                }
                catch (Exception ex) when (raw is not null && !AgentFailures.PeerGone(context, ex))
                {
                    // After the 101 no problem details can follow: the reply line carries the failure and its trace id.
                    var failure = AgentFailures.Report(context, audit, "media agent", ex, "session.stream.upgrade", claims.JobId);
                    return await ReplyAsync(raw, new StreamReply(failure.Status, null, failure.Title, failure.Detail, failure.Type), context.RequestAborted);
                }
                finally
                {
                    if (raw is not null)
                    {
                        await raw.DisposeAsync();
                    }
                }
            });
        });

        app.MapPost("/v1/sessions/{sessionId}/seal", (HttpContext context, string sessionId) =>
            RunAsync(context, policy, "session.seal", async claims => Results.Json(BackupSessionRegistry.Info(await sessions.SealAsync(claims.SystemId, claims.JobId, sessionId, context.RequestAborted)))));
    }

    /// <summary>Writes the reply line on an upgraded connection; a peer already gone just does not get it.</summary>
    private static async Task<IResult> ReplyAsync(Stream raw, StreamReply reply, CancellationToken ct)
    {
        try
        {
            var line = JsonSerializer.SerializeToUtf8Bytes(reply, JsonSerializerOptions.Web);
            await raw.WriteAsync(line, ct);
            await raw.WriteAsync("\n"u8.ToArray(), ct);
            await raw.FlushAsync(ct);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // The disk agent closed the connection: it retries and opens the session again.
        }

        return Results.Empty;
    }

    private static async Task<IResult> RunAsync(HttpContext context, MediaAccessPolicy policy, string action, Func<Tokens.JobTokenClaims, Task<IResult>> handle)
    {
        var peer = MutualTls.PeerIdentity(context);
        if (peer is null)
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        var decision = policy.AuthorizeBackup(peer, context.Request.Headers[AgentHeaders.JobToken], action);
        if (!decision.Allowed)
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Backup refused", detail: decision.Reason);
        }

        try
        {
            return await handle(decision.Claims!);
        }
        catch (SessionException ex)
        {
            return Results.Problem(statusCode: ex.Status, title: "Session request refused", detail: ex.Message);
        }
    }
}

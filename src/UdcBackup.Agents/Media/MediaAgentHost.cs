using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using UdcBackup.Agents.Audit;
using UdcBackup.Agents.Hosting;
using UdcBackup.Agents.Identity;
using UdcBackup.Agents.Media.Sessions;
using UdcBackup.Agents.Tls;
using UdcBackup.Agents.Tokens;
using UdcBackup.Archive;
using UdcBackup.Archive.Backup;
using UdcBackup.Archive.Repository;
using UdcBackup.Archive.Retention;
using UdcBackup.Archive.Snapshots;
using UdcBackup.Archive.Streaming;

namespace UdcBackup.Agents.Media;

/// <summary>
/// The media agent service: owns an archive repository and serves it over HTTP/2 with mutual TLS.
/// <list type="bullet">
/// <item><c>PUT /v1/backup</c>: body = entry stream, header <c>X-Udc-Job-Token</c>; stored as a
/// snapshot whose host is the token's system, tagged with job and system; answers the snapshot id.
/// A broken stream commits nothing. The legacy one-shot form: it has no open to negotiate the entry
/// stream version, so its senders write version 1 (no changed-while-read marks); the disk agent's
/// jobs always use sessions.</item>
/// <item><c>GET /v1/restore</c>: header token; answers the snapshot's entry stream, in the version
/// the optional header <c>X-Udc-Entry-Stream-Version</c> allows (<see cref="RestoreStreamVersion"/>). <c>POST /v1/restore</c>
/// (<see cref="RestoreStreamRequest"/>): the same for a resumed restore, files the target already holds
/// with the same size and SHA-256 go as headers without content (<see cref="HeldRestoreFilter"/>).
/// Damaged repository data found once the stream has begun ends it without its end frame, with the
/// trailers <see cref="AgentHeaders.ProblemType"/> (<see cref="AgentProblemTypes.DamagedData"/>) and
/// <see cref="AgentHeaders.ProblemDetail"/>; any other failure aborts it.</item>
/// <item><c>/v1/sessions/...</c>: backup sessions (several streams sealed into one snapshot, resumable),
/// see <see cref="BackupSessionRegistry"/>.</item>
/// <item><c>GET /v1/snapshots</c>, <c>DELETE /v1/snapshots/{id}</c>, <c>POST /v1/snapshots/forget</c>: the controller only.</item>
/// </list>
/// Every decision goes through <see cref="MediaAccessPolicy"/> and is audited; a failure no endpoint
/// answers becomes problem details with a trace id (<see cref="AgentFailures"/>). One-shot backups and
/// forgets run one at a time; sessions write concurrently (the archive allows several writers).
/// </summary>
public sealed class MediaAgentHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ArchiveRepository _repository;
    private readonly BackupSessionRegistry _sessions;

    private MediaAgentHost(WebApplication app, AgentCredentials credentials, ArchiveRepository repository, BackupSessionRegistry sessions)
    {
        _app = app;
        Credentials = credentials;
        _repository = repository;
        _sessions = sessions;
    }

    /// <summary>The agent's own credentials.</summary>
    public AgentCredentials Credentials { get; }

    /// <summary>The address the agent listens on.</summary>
    public Uri Address => AgentWebHost.ListeningAddress(_app);

    /// <summary>Validates the options, opens the repository, loads the credentials and starts listening.</summary>
    public static async Task<MediaAgentHost> StartAsync(MediaAgentOptions options, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validated();
        time ??= TimeProvider.System;
        var credentials = AgentWebHost.LoadCredentials(options.CredentialsFolder, AgentRole.Media, time);

        var password = (await File.ReadAllLinesAsync(options.RepositoryPasswordFile, cancellationToken)).FirstOrDefault() ?? string.Empty;
        var repository = ArchiveRepository.Open(options.RepositoryPath, password, time);
        var audit = new AuditLog(options.AuditLogPath, time);
        var policy = new MediaAccessPolicy(new JobTokenVerifier([credentials.TokenSigningPublicKeyPem], credentials.Identity.SystemId, time), audit);
        var writer = new SemaphoreSlim(1, 1);
        var sessions = new BackupSessionRegistry(repository, options.ResolvedSessionFolder, options.RepositoryName, TimeSpan.FromHours(options.SessionIdleHours), writer, time);

        var app = AgentWebHost.Build(options.ListenAddress, options.Port, credentials, audit, time, unboundedBodies: true);
        app.MapPut("/v1/backup", (Func<HttpContext, Task<IResult>>)(context => BackupAsync(context, policy, repository, writer)));
        app.MapGet("/v1/restore", (RequestDelegate)(context => RestoreAsync(context, policy, repository, audit)));
        app.MapPost("/v1/restore", (RequestDelegate)(context => RestoreAsync(context, policy, repository, audit)));
        app.MapGet("/v1/snapshots", (Func<HttpContext, IResult>)(context => ListSnapshots(context, policy, repository)));
        app.MapDelete("/v1/snapshots/{id}", async (HttpContext context, string id) =>
        {
            var result = await ForgetAsync(context, policy, repository, writer, [id]);
            return result is ForgetResult forget ? (forget.Forgotten.Count == 1 ? Results.NoContent() : Results.NotFound()) : (IResult)result;
        });
        app.MapPost("/v1/snapshots/forget", async (HttpContext context, ForgetRequest request) =>
        {
            var result = await ForgetAsync(context, policy, repository, writer, request.SnapshotIds ?? []);
            return result is ForgetResult forget ? Results.Json(forget) : (IResult)result;
        });
        MediaSessionEndpoints.Map(app, policy, audit, sessions);
        await app.StartAsync(cancellationToken);
        return new MediaAgentHost(app, credentials, repository, sessions);
    }

    public async ValueTask DisposeAsync()
    {
        await AgentWebHost.StopAsync(_app);
        await _app.DisposeAsync();
        await _sessions.DisposeAsync();
        _repository.Dispose();
        Credentials.Dispose();
    }

    private static async Task<IResult> BackupAsync(HttpContext context, MediaAccessPolicy policy, ArchiveRepository repository, SemaphoreSlim writer)
    {
        var peer = MutualTls.PeerIdentity(context);
        if (peer is null)
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        var decision = policy.AuthorizeBackup(peer, context.Request.Headers[AgentHeaders.JobToken]);
        if (!decision.Allowed)
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Backup refused", detail: decision.Reason);
        }

        var claims = decision.Claims!;
        await writer.WaitAsync(context.RequestAborted);
        try
        {
            var options = new BackupOptions
            {
                Host = claims.SystemId,
                Tags = new Dictionary<string, string> { ["system"] = claims.SystemId, ["job"] = claims.JobId },
            };
            var body = new BufferedStream(context.Request.Body, SessionStreamReceiver.ReceiveBufferSize); // see SessionStreamReceiver
            var snapshot = await StreamBackup.RunAsync(repository, options, body, context.RequestAborted);
            return Results.Json(new SnapshotInfo(snapshot.Id.ToString(), snapshot.Host, snapshot.Time, snapshot.Tags));
        }
        catch (InvalidDataException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Broken entry stream; nothing was committed", detail: ex.Message);
        }
        finally
        {
            writer.Release();
        }
    }

    private static async Task RestoreAsync(HttpContext context, MediaAccessPolicy policy, ArchiveRepository repository, AuditLog audit)
    {
        var peer = MutualTls.PeerIdentity(context);
        if (peer is null)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        // Only a full snapshot id names a snapshot here; prefixes and "latest" are operator
        // conveniences. Only the token's snapshot is read, so another snapshot's damaged manifest
        // does not fail this restore.
        Snapshot? snapshot = null;
        var decision = policy.AuthorizeRestore(peer, context.Request.Headers[AgentHeaders.JobToken], id => (snapshot = repository.TryLoadSnapshot(id))?.Host);
        if (!decision.Allowed)
        {
            await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Restore refused", detail: decision.Reason).ExecuteAsync(context);
            return;
        }

        RestoreStreamRequest resumed;
        try
        {
            resumed = HttpMethods.IsPost(context.Request.Method)
                ? await context.Request.ReadFromJsonAsync<RestoreStreamRequest>(JsonSerializerOptions.Web, context.RequestAborted) ?? new RestoreStreamRequest()
                : new RestoreStreamRequest { Includes = context.Request.Query["include"].Select(i => i!).ToList() };
        }
        catch (JsonException ex)
        {
            await Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The restore request is not valid JSON", detail: ex.Message).ExecuteAsync(context);
            return;
        }

        var includes = resumed.Includes.Where(i => !string.IsNullOrWhiteSpace(i)).ToList();
        context.Response.ContentType = AgentHeaders.EntryStreamContentType;
        var entries = SnapshotSource.ReadAsync(repository, snapshot!, includes, context.RequestAborted); // allowed: the owner lookup found it
        if (resumed.Held.Count > 0)
        {
            entries = HeldRestoreFilter.ApplyAsync(entries, resumed.Held, context.RequestAborted);
        }

        try
        {
            await EntryStreamWriter.WriteAllAsync(entries, context.Response.Body, RestoreStreamVersion(context.Request.Headers[AgentHeaders.EntryStreamVersion]), context.RequestAborted);
        }
        catch (Exception ex) when (!AgentFailures.PeerGone(context, ex) && DamagedData(ex) is { } damaged)
        {
            if (!context.Response.HasStarted || !context.Response.SupportsTrailers())
            {
                // Problem details can still be answered (or, without trailers, the stream is aborted).
                if (ReferenceEquals(damaged, ex))
                {
                    throw;
                }

                throw damaged;
            }

            // The stream has begun, so no problem details can follow: it ends without its end
            // frame (every reader sees it broken) and the trailers say the data is damaged, which
            // no retry can pass. Logged and audited as any failure, with its trace id.
            var failure = AgentFailures.Report(context, audit, "media agent", damaged, jobId: decision.Claims?.JobId);
            context.Response.AppendTrailer(AgentHeaders.ProblemType, failure.Type);
            context.Response.AppendTrailer(AgentHeaders.ProblemDetail, Uri.EscapeDataString(failure.Detail));
        }
    }

    /// <summary>
    /// The failure of a restore stream as damaged repository data, or null: the archive's own
    /// classification, or content that does not read back (a chunk that fails its authentication or
    /// hash), which the snapshot source raises as <see cref="InvalidDataException"/>.
    /// </summary>
    private static ArchiveException? DamagedData(Exception ex) => ex switch
    {
        ArchiveException { Code: ArchiveErrorCode.DamagedRepository } archive => archive,
        InvalidDataException invalid => new ArchiveException(ArchiveErrorCode.DamagedRepository, invalid.Message, invalid),
        _ => null,
    };

    /// <summary>
    /// The entry stream version of a restore answer: the highest that both this agent writes and
    /// the disk agent said it reads; 1 when it did not say (a disk agent from before the header) or
    /// said something unreadable.
    /// </summary>
    public static int RestoreStreamVersion(string? announced) =>
        int.TryParse(announced, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version) && version >= 1
            ? Math.Min(version, EntryStreamWriter.LatestVersion)
            : 1;

    private static IResult ListSnapshots(HttpContext context, MediaAccessPolicy policy, ArchiveRepository repository)
    {
        var peer = MutualTls.PeerIdentity(context);
        if (peer is null || !policy.AuthorizeCatalog(peer, MediaOperation.ListSnapshots).Allowed)
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Only the controller lists snapshots");
        }

        return Results.Json(repository.ListSnapshots().Select(s => new SnapshotInfo(s.Id.ToString(), s.Host, s.Time, s.Tags)).ToList());
    }

    /// <summary>
    /// Forgets the ids that exist (under the one-writer gate); absent ids are reported, not refused.
    /// An archive failure is answered by <see cref="AgentFailures"/>: 409 when the repository is
    /// locked (a backup session holds it; retry later), 500 when its data is damaged.
    /// </summary>
    private static async Task<object> ForgetAsync(HttpContext context, MediaAccessPolicy policy, ArchiveRepository repository, SemaphoreSlim writer, IReadOnlyList<string> ids)
    {
        var peer = MutualTls.PeerIdentity(context);
        if (peer is null || !policy.AuthorizeCatalog(peer, MediaOperation.DeleteSnapshots).Allowed)
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Only the controller deletes snapshots");
        }

        await writer.WaitAsync(context.RequestAborted);
        try
        {
            var existing = repository.ListSnapshots().Select(s => s.Id.ToString()).ToHashSet(StringComparer.Ordinal);
            var present = ids.Where(existing.Contains).Distinct(StringComparer.Ordinal).ToList();
            if (present.Count > 0)
            {
                new Forgetter(repository).Run(new RetentionPolicy(), present, dryRun: false);
            }

            return new ForgetResult(present, ids.Where(id => !existing.Contains(id)).Distinct(StringComparer.Ordinal).ToList());
        }
        finally
        {
            writer.Release();
        }
    }
}

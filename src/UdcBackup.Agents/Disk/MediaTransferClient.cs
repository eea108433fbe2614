using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using UdcBackup.Agents.Hosting;
using UdcBackup.Agents.Identity;
using UdcBackup.Agents.Media;
using UdcBackup.Agents.Media.Sessions;
using UdcBackup.Agents.Tls;
using UdcBackup.Archive.Backup;
using UdcBackup.Archive.Restore;
using UdcBackup.Archive.Streaming;

namespace UdcBackup.Agents.Disk;

/// <summary>
/// The disk agent's side of the data path: streams the given paths to a media agent as a backup
/// (into a backup session: open, stream, seal), or receives a snapshot's entry stream and writes
/// it under a target folder. The connection uses the agent's certificate and accepts only the
/// named media agent under the controller's CA; the job token from the controller goes in the
/// <c>X-Udc-Job-Token</c> header. Resume: the open answers the fingerprints of files the media
/// agent already holds (earlier attempts, the parent); those are sent as headers without content.
/// The entry stream is written in version 2 when the open says the media agent reads it, so a file
/// that changed while it was read reaches the media agent marked; an older media agent gets
/// version 1 (the file is then only named in this side's warnings and counted in the progress).
/// The entry stream goes on an HTTP/1.1 connection upgraded to the bare TLS stream when the open
/// offers it (<c>upgradeStreams</c>: no chunked encoding, no request-body machinery on either side),
/// else as an HTTP/1.1 or HTTP/2 request body, whichever the media agent takes.
/// A refusal raises <see cref="MediaTransferRefusedException"/> with the media agent's status,
/// reason and problem type (also from an upgraded stream's reply line, which a media agent that
/// failed midway, e.g. on a full repository, sends before it closes the connection), and so does a
/// restore stream the media agent ended early with <see cref="AgentHeaders.ProblemType"/> trailers
/// (damaged data); a connection that does not come up within <see cref="ConnectTimeout"/> fails.
/// </summary>
public sealed class MediaTransferClient : IDisposable
{
    /// <summary>How long a TCP connection to the media agent may take (a closed firewall port drops SYNs silently).</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http;
    private readonly Uri _mediaAgent;

    public MediaTransferClient(AgentCredentials credentials, Uri mediaAgent, string mediaAgentId, TimeProvider? time = null, Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? connect = null)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(mediaAgent);
        var handler = MutualTls.CreateClientHandler(credentials.Certificate, credentials.CaCertificate, mediaAgentId, AgentRole.Media, time);
        if (connect is not null)
        {
            handler.ConnectCallback = connect;
        }

        handler.ConnectTimeout = ConnectTimeout;
        handler.InitialHttp2StreamWindowSize = 8 * 1024 * 1024;

        // Requests set HTTP/2 themselves; a transfer may take hours, so no client-side timeout.
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _mediaAgent = mediaAgent;
    }

    /// <summary>
    /// Backs up <paramref name="paths"/> under the job <paramref name="token"/> in one request
    /// (<c>PUT /v1/backup</c>): the legacy form, without resume and in entry stream version 1 (the
    /// request has no open that could say which versions the media agent reads, so files that
    /// change while read are warned here but not marked in the snapshot). The disk agent's jobs use
    /// <see cref="BackupToSessionAsync"/>.
    /// </summary>
    public async Task<BackupOutcome> BackupAsync(IReadOnlyList<string> paths, string token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var warnings = new List<string>();
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(_mediaAgent, "/v1/backup"))
        {
            Content = new EntryStreamContent(FileSystemSource.ReadAsync(paths, warnings, cancellationToken)),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Add(AgentHeaders.JobToken, token);
        using var response = await _http.SendAsync(request, cancellationToken);
        await EnsureAcceptedAsync(response, cancellationToken);
        var snapshot = await response.Content.ReadFromJsonAsync<SnapshotInfo>(JsonSerializerOptions.Web, cancellationToken)
            ?? throw new InvalidDataException("The media agent answered without a snapshot");
        return new BackupOutcome(snapshot, warnings);
    }

    /// <summary>
    /// Streams <see cref="TransferJobRequest.Paths"/> into the backup session of
    /// <paramref name="order"/> and seals it when asked. <paramref name="started"/> runs once the
    /// media agent accepted the session (the resume point is then in <paramref name="tracker"/>).
    /// </summary>
    public async Task<BackupStreamResult> BackupToSessionAsync(TransferJobRequest order, ProgressTracker tracker, Func<TransferCounters, Task>? started, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(tracker);
        var sessionId = order.SessionId ?? order.JobId;
        var warnings = new List<string>();
        if (order.Paths.Length == 0)
        {
            // Seal only: no stream is opened (an opened stream that sends nothing would stay
            // unfinished and block the seal); the seal takes what earlier streams sent, and a
            // session without any is refused by the media agent (404 unknown, 409 no stream), which
            // the caller gets as that status because nothing was started before.
            var sealedOnly = await SendAsync<SnapshotInfo>(HttpMethod.Post, $"/v1/sessions/{sessionId}/seal", order.Token, null, null, cancellationToken);
            if (started is not null)
            {
                await started(new TransferCounters());
            }

            return new BackupStreamResult(sealedOnly, warnings) { SessionId = sessionId, Stream = order.Stream, Progress = tracker.Snapshot() };
        }

        var stream = order.Stream ?? DefaultStreamName(order.Paths);
        var open = new SessionOpenRequest { Stream = stream, Paths = order.Paths, Level = order.Level, ParentSnapshotId = order.ParentSnapshotId, Repository = order.Repository };
        var state = await SendAsync<SessionState>(HttpMethod.Post, $"/v1/sessions/{sessionId}", order.Token, JsonContent.Create(open, options: JsonSerializerOptions.Web), null, cancellationToken);
        if (started is not null)
        {
            await started(new TransferCounters { Bytes = state.Stream.HeldBytes, Files = state.Stream.HeldFiles, ResumedBytes = state.Stream.HeldBytes, ResumedFiles = state.Stream.HeldFiles });
        }

        if (state.SealedSnapshot is { } done)
        {
            return new BackupStreamResult(done, warnings) { SessionId = sessionId, Stream = stream, Progress = tracker.Snapshot() };
        }

        var held = state.Held.ToDictionary(h => h.Path, StringComparer.Ordinal);
        var entries = Plan(FileSystemSource.ReadAsync(order.Paths, warnings, cancellationToken), held, new ExcludeFilter(order.Excludes), tracker);
        if (state.UpgradeStreams)
        {
            // The bare TLS connection: no chunked encoding on either side, Kestrel's parser out of the byte path.
            await SendUpgradedAsync($"/v1/sessions/{sessionId}/streams/{stream}", order.Token, state.Epoch, entries, EntryStreamVersionFor(state), cancellationToken);
        }
        else
        {
            using var content = new EntryStreamContent(entries, EntryStreamVersionFor(state));

            // The bulk data goes over HTTP/1.1 when the media agent takes it (half the transport's
            // CPU of HTTP/2 on the same mutual TLS); an older media agent gets HTTP/2 as before.
            var version = state.Http11Streams ? HttpVersion.Version11 : HttpVersion.Version20;
            await SendAsync<StreamReceipt>(HttpMethod.Put, $"/v1/sessions/{sessionId}/streams/{stream}", order.Token, content, state.Epoch, cancellationToken, version);
        }

        SnapshotInfo? snapshot = null;
        if (order.Seal)
        {
            snapshot = await SendAsync<SnapshotInfo>(HttpMethod.Post, $"/v1/sessions/{sessionId}/seal", order.Token, null, null, cancellationToken);
        }

        return new BackupStreamResult(snapshot, warnings) { SessionId = sessionId, Stream = stream, Progress = tracker.Snapshot() };
    }

    /// <summary>The entry stream version to send after <paramref name="state"/>: the highest both sides read (1 for a media agent that does not say).</summary>
    public static int EntryStreamVersionFor(SessionState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return Math.Clamp(state.EntryStreamVersion, 1, EntryStreamWriter.LatestVersion);
    }

    /// <summary>The stream name used when the controller gives none: the first 16 hex digits of SHA-256 of the paths joined by NUL.</summary>
    public static string DefaultStreamName(IEnumerable<string> paths) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join('\0', paths))))[..16];

    /// <summary>Restores the snapshot the job <paramref name="token"/> names under <see cref="RestoreOptions.Target"/>.</summary>
    public Task<RestoreResult> RestoreAsync(string token, RestoreOptions options, CancellationToken cancellationToken = default) =>
        RestoreAsync(token, options, null, cancellationToken);

    /// <summary>Restores as above, counting written bytes and files in <paramref name="tracker"/>; <see cref="RestoreOptions.Includes"/> are applied by the media agent.</summary>
    public Task<RestoreResult> RestoreAsync(string token, RestoreOptions options, ProgressTracker? tracker, CancellationToken cancellationToken = default) =>
        RestoreAsync(token, options, tracker, null, cancellationToken);

    /// <summary>Restores as above and adds the absolute path of every entry of the stream to <paramref name="seen"/> (for <see cref="RestoreReplacer"/>).</summary>
    public async Task<RestoreResult> RestoreAsync(string token, RestoreOptions options, ProgressTracker? tracker, ISet<string>? seen, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);

        // Resume: files the target already holds are offered; the media agent sends those without content.
        var held = await RestoreTargetInventory.ReadAsync(options.Target, options.Includes, cancellationToken);
        var query = options.Includes.Count == 0 ? string.Empty : "?" + string.Join('&', options.Includes.Select(i => "include=" + Uri.EscapeDataString(i)));
        using var request = new HttpRequestMessage(held.Count == 0 ? HttpMethod.Get : HttpMethod.Post, new Uri(_mediaAgent, "/v1/restore" + (held.Count == 0 ? query : string.Empty)))
        {
            Content = held.Count == 0 ? null : JsonContent.Create(new RestoreStreamRequest { Includes = options.Includes, Held = held }, options: JsonSerializerOptions.Web),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Add(AgentHeaders.JobToken, token);

        // Lets a media agent that knows version 3 send CRC-32C instead of SHA-256 check values,
        // which this side would otherwise recompute over every restored byte.
        request.Headers.Add(AgentHeaders.EntryStreamVersion, EntryStreamWriter.LatestVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await EnsureAcceptedAsync(response, cancellationToken);
        try
        {
            return await WriteRestoreAsync(response, options, tracker, seen, held, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && StreamProblem(response) is { } problem)
        {
            // The media agent ended the stream early and said why in its trailers (damaged data):
            // the failure is its own, not the transport's, and is passed on with its type.
            throw new MediaTransferRefusedException(HttpStatusCode.InternalServerError, $"The media agent answered 500: {problem.Detail}", problem.Type, ex);
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>
    /// The failure a restore stream's trailers name (<see cref="AgentHeaders.ProblemType"/>), or
    /// null. Trailers are there only once the stream ended, so a broken connection has none.
    /// </summary>
    private static (string Type, string Detail)? StreamProblem(HttpResponseMessage response)
    {
        if (!response.TrailingHeaders.TryGetValues(AgentHeaders.ProblemType, out var types) || types.FirstOrDefault() is not { Length: > 0 } type)
        {
            return null;
        }

        var detail = response.TrailingHeaders.TryGetValues(AgentHeaders.ProblemDetail, out var details) && details.FirstOrDefault() is { } escaped
            ? Uri.UnescapeDataString(escaped)
            : "the restore stream broke off";
        return (type, detail);
    }

    private static async Task<RestoreResult> WriteRestoreAsync(HttpResponseMessage response, RestoreOptions options, ProgressTracker? tracker, ISet<string>? seen, List<RestoreHeldFile> held, CancellationToken cancellationToken)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        // Literal includes are enforced here too: a restore to the original places was accepted
        // because those paths lie in the restore roots, so nothing else may be written.
        var entries = RestorePathGuard.CheckAsync(new EntryStreamReader(body).ReadAllAsync(cancellationToken), RestorePathGuard.LiteralScope(options.Includes), cancellationToken);
        if (seen is not null)
        {
            entries = RestoreReplacer.RecordAsync(entries, options.Target, seen, cancellationToken);
        }

        // Held files never reach the restorer: what they were is counted here and added to its result.
        var kept = new RestoreResult();
        if (held.Count > 0)
        {
            entries = HeldRestoreEntries.KeepHeldAsync(entries, held, tracker, kept, cancellationToken);
        }

        var result = await StreamRestore.WriteAsync(tracker is null ? entries : Counted(entries, tracker), options with { Includes = [] }, cancellationToken);
        result.FilesSkipped += kept.FilesSkipped;
        result.FilesAlreadyCorrect += kept.FilesAlreadyCorrect;
        result.BytesAlreadyCorrect += kept.BytesAlreadyCorrect;
        return result;
    }

    private static async IAsyncEnumerable<StreamedEntry> Plan(IAsyncEnumerable<StreamedEntry> source, Dictionary<string, HeldFile> held, ExcludeFilter excludes, ProgressTracker tracker)
    {
        await foreach (var entry in source)
        {
            var header = entry.Header;
            if (excludes.Excludes(header.Path))
            {
                continue;
            }

            if (entry.Content is null)
            {
                yield return entry;
                continue;
            }

            if (held.TryGetValue(header.Path, out var fingerprint) && fingerprint.Matches(header))
            {
                // The media agent holds exactly this file: the header goes, the content stays here.
                tracker.Resumed(header.Size);
                tracker.FileDone();
                // Not read, so not checked either: the media agent's stored copy is the one checked.
                yield return entry with { Content = Stream.Null, Extents = null, ChangedWhileRead = null };
                continue;
            }

            yield return entry with { Content = new Hosting.CountingReadStream(entry.Content, n => tracker.Sent(n)), ChangedWhileRead = CountingChanges(entry.ChangedWhileRead, tracker) };
            tracker.FileDone();
        }
    }

    /// <summary>The source's change check, counting a changed file once in the progress.</summary>
    private static Func<CancellationToken, ValueTask<bool>>? CountingChanges(Func<CancellationToken, ValueTask<bool>>? check, ProgressTracker tracker)
    {
        if (check is null)
        {
            return null;
        }

        var counted = false;
        return async ct =>
        {
            var changed = await check(ct);
            if (changed && !counted)
            {
                counted = true;
                tracker.Changed();
            }

            return changed;
        };
    }

    private static async IAsyncEnumerable<StreamedEntry> Counted(IAsyncEnumerable<StreamedEntry> entries, ProgressTracker tracker)
    {
        await foreach (var entry in entries)
        {
            yield return entry.Content is null ? entry : entry with { Content = new Hosting.CountingReadStream(entry.Content, n => tracker.Sent(n)) };
            if (entry.Content is not null)
            {
                tracker.FileDone();
            }
        }
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, string token, HttpContent? content, long? epoch, CancellationToken cancellationToken, Version? version = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(_mediaAgent, path))
        {
            Content = content,
            Version = version ?? HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Add(AgentHeaders.JobToken, token);
        if (epoch is long value)
        {
            request.Headers.Add(AgentHeaders.SessionEpoch, value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        await EnsureAcceptedAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<T>(JsonSerializerOptions.Web, cancellationToken)
            ?? throw new InvalidDataException($"The media agent answered {path} without a body");
    }

    /// <summary>The HTTP/1.1 request that asks a media agent to take an entry stream on the bare connection (no body; 101 when accepted).</summary>
    public static HttpRequestMessage StreamUpgradeRequest(Uri stream, string token, long epoch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, stream)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Add(AgentHeaders.JobToken, token);
        request.Headers.Add(AgentHeaders.SessionEpoch, epoch.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new System.Net.Http.Headers.ProductHeaderValue(AgentHeaders.EntryStreamUpgrade));
        return request;
    }

    /// <summary>
    /// Sends an entry stream on an HTTP/1.1 connection upgraded to <see cref="AgentHeaders.EntryStreamUpgrade"/>:
    /// the media agent checks token, session and epoch before it answers 101 (a refusal is a plain
    /// HTTP answer, raised as with any request), then the entry stream goes on the bare TLS
    /// connection and the media agent's <see cref="StreamReply"/> line comes back before it closes.
    /// </summary>
    private async Task<StreamReceipt> SendUpgradedAsync(string path, string token, long epoch, IAsyncEnumerable<Archive.Streaming.StreamedEntry> entries, int version, CancellationToken cancellationToken)
    {
        using var request = StreamUpgradeRequest(new Uri(_mediaAgent, path), token, epoch);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode != HttpStatusCode.SwitchingProtocols)
        {
            await EnsureAcceptedAsync(response, cancellationToken);
            throw new InvalidDataException($"The media agent answered {(int)response.StatusCode} to the entry stream upgrade instead of 101");
        }

        await using var connection = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(connection, leaveOpen: true);
        try
        {
            await EntryStreamContent.WriteAsync(entries, connection, version, cancellationToken);
        }
        catch (IOException ex)
        {
            // A media agent that fails in the middle (a full repository) stops reading, writes its
            // reply and closes the connection, which breaks the rest of the stream: the reply says
            // why, and is the failure; a connection broken without one stays the transport's.
            if (await TryReadReplyAsync(reader, cancellationToken) is { Status: not (int)HttpStatusCode.OK } early)
            {
                throw Refused(early, ex);
            }

            throw;
        }

        var line = await reader.ReadLineAsync(cancellationToken)
            ?? throw new IOException("The media agent closed the connection after the entry stream without a reply");
        var reply = JsonSerializer.Deserialize<StreamReply>(line, JsonSerializerOptions.Web)
            ?? throw new InvalidDataException("The media agent's reply to the entry stream is empty");
        if (reply.Status != (int)HttpStatusCode.OK || reply.Receipt is null)
        {
            throw Refused(reply);
        }

        return reply.Receipt;
    }

    // The reply line already received on a connection whose writing broke, or null (none came, or not readable).
    private static async Task<StreamReply?> TryReadReplyAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadLineAsync(cancellationToken) is { } line ? JsonSerializer.Deserialize<StreamReply>(line, JsonSerializerOptions.Web) : null;
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return null;
        }
    }

    private static MediaTransferRefusedException Refused(StreamReply reply, Exception? inner = null) =>
        new((HttpStatusCode)reply.Status, $"The media agent answered {reply.Status}: {reply.Detail ?? reply.Title}", reply.Type, inner);

    private static async Task EnsureAcceptedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var detail = await response.Content.ReadAsStringAsync(cancellationToken);
        string? type = null;
        try
        {
            using var problem = JsonDocument.Parse(detail);
            if (problem.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (problem.RootElement.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String)
                {
                    type = t.GetString();
                }

                if (problem.RootElement.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String && d.GetString() is { } text)
                {
                    detail = text;
                }
            }
        }
        catch (JsonException)
        {
            // Not a problem document: keep the raw text.
        }

        throw new MediaTransferRefusedException(response.StatusCode, $"The media agent answered {(int)response.StatusCode}: {detail}", type);
    }
}

using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using UdcBackup.Archive;
using UdcBackup.Archive.Backup;
using UdcBackup.Archive.Repository;
using UdcBackup.Archive.Snapshots;
using UdcBackup.Archive.Streaming;

namespace UdcBackup.Agents.Media.Sessions;

/// <summary>
/// The media agent's backup sessions. A session (token system + token job + session id) collects
/// the streams of one job on one system and is sealed into ONE snapshot.
/// <para>
/// Algorithm: the first open fixes level and parent and starts a <see cref="LiveSession"/> (one
/// archive backup session whose pack pipeline stores the content of every stream); each stream
/// attempt journals the entries it stored (<see cref="SessionJournal"/>); the seal merges the
/// completed attempts in stream order and commits them as the snapshot. Files the session already
/// stored (by an earlier attempt or stream) and, for incrementals, the parent's files are "held":
/// their fingerprints go to the disk agent at open and it sends them without content, which is how
/// a broken transfer resumes without re-sending what arrived.
/// </para>
/// <para>
/// Failure behaviour: a broken stream keeps what arrived completely; a failed pipeline, a live
/// session idle for <see cref="LiveIdle"/> or a restart drops the live part, and the next request
/// rebuilds it from the journals with a new epoch (held = journaled files whose chunks are in the
/// repository index after adopting finished packs). A repository whose file system is full fails
/// the open, stream or seal with the archive's own <see cref="ArchiveErrorCode.NoSpace"/> error
/// (answered 507 by <c>AgentFailures</c>), not as a session failure a retry could pass. Unsealed
/// sessions are deleted after the configured time; their data stays in the repository until prune.
/// </para>
/// </summary>
public sealed partial class BackupSessionRegistry : IAsyncDisposable
{
    /// <summary>A live session unused this long gives its repository lock back.</summary>
    public static readonly TimeSpan LiveIdle = TimeSpan.FromMinutes(10);

    private readonly ArchiveRepository _repository;
    private readonly string _folder;
    private readonly string? _repositoryName;
    private readonly TimeSpan _keep;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _oneShotWriter;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SessionSlot> _slots = new(StringComparer.Ordinal);
    private readonly ITimer _sweeper;
    private Task _sweeping = Task.CompletedTask;
    private bool _reloadIndex;

    /// <summary>
    /// Sessions are kept under <paramref name="folder"/>; <paramref name="oneShotWriter"/> is the gate
    /// one-shot backups hold (the index is only reloaded while it is free).
    /// </summary>
    public BackupSessionRegistry(ArchiveRepository repository, string folder, string? repositoryName, TimeSpan keepUnsealed, SemaphoreSlim oneShotWriter, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(repository);
        _repository = repository;
        _folder = folder;
        _repositoryName = repositoryName;
        _keep = keepUnsealed;
        _oneShotWriter = oneShotWriter;
        _time = time;
        Identity.SecureFile.CreatePrivateDirectory(folder);
        _sweeper = time.CreateTimer(_ => _sweeping = SweepAsync(), null, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
    }

    /// <summary>Opens (or joins) a session for a stream; answers the epoch, resume point and held files.</summary>
    public async Task<SessionState> OpenAsync(string system, string job, string sessionId, SessionOpenRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequireName(sessionId, "session id");
        RequireName(request.Stream, "stream name");
        if (!SessionLevels.IsKnown(request.Level))
        {
            throw new SessionException(400, $"level '{request.Level}' is not full or incremental");
        }

        if (request.Repository is { } wanted && _repositoryName is not null && wanted != _repositoryName)
        {
            throw new SessionException(404, $"this media agent holds repository '{_repositoryName}', not '{wanted}'");
        }

        var slot = Slot(system, job, sessionId);
        await slot.Gate.WaitAsync(ct);
        try
        {
            var record = slot.Record ??= SessionRecord.Load(slot.RecordPath);
            if (record?.SealedSnapshotId is { } sealedId)
            {
                var sealedSnapshot = _repository.ListSnapshots().Find(s => s.Id.ToString() == sealedId)
                    ?? throw new SessionException(409, $"session {sessionId} was sealed as snapshot {sealedId}, which no longer exists");
                return new SessionState(sessionId, record.Epoch, record.Level, record.ParentSnapshotId, new SessionStreamState(request.Stream, 0, 0), [], Info(sealedSnapshot));
            }

            if (record is null)
            {
                record = new SessionRecord
                {
                    System = system,
                    Job = job,
                    SessionId = sessionId,
                    Level = request.Level,
                    ParentSnapshotId = ResolveParent(system, request),
                    Created = _time.GetUtcNow(),
                };
                Directory.CreateDirectory(slot.Folder);
                slot.Record = record;
            }
            else
            {
                RequireSameBasis(record, request);
            }

            record.Stream(request.Stream, request.Paths);
            var live = EnsureLive(slot, record);
            Touch(slot, record, live);
            var resume = live.Held.Values.Where(h => h.Stream == request.Stream).ToList();
            var held = live.Held.Values.Select(h => HeldFile.Of(h.Entry))
                .Concat(live.ParentHeld.Values.Where(p => !live.Held.ContainsKey(p.Path)))
                .ToList();
            return new SessionState(sessionId, live.Epoch, record.Level, record.ParentSnapshotId,
                new SessionStreamState(request.Stream, resume.Count, resume.Sum(h => h.Entry.Size)), held, null);
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    /// <summary>Receives one stream attempt (see <see cref="SessionStreamReceiver"/>).</summary>
    public Task<StreamReceipt> ReceiveAsync(string system, string job, string sessionId, string stream, long epoch, Stream body, CancellationToken ct) =>
        ReceiveAsync(system, job, sessionId, stream, epoch, () => ValueTask.FromResult(body), ct);

    /// <summary>
    /// Receives one stream attempt; <paramref name="openBody"/> is called only once the session,
    /// the stream and the epoch were accepted, so a refusal can still be answered as an HTTP status
    /// before an upgraded connection is handed over.
    /// </summary>
    public async Task<StreamReceipt> ReceiveAsync(string system, string job, string sessionId, string stream, long epoch, Func<ValueTask<Stream>> openBody, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(openBody);
        RequireName(sessionId, "session id");
        RequireName(stream, "stream name");
        var slot = Slot(system, job, sessionId);
        await slot.Gate.WaitAsync(ct);
        try
        {
            var record = (slot.Record ??= SessionRecord.Load(slot.RecordPath)) ?? throw new SessionException(404, $"no session {sessionId}: open it first");
            if (record.SealedSnapshotId is not null)
            {
                throw new SessionException(409, $"session {sessionId} is already sealed as snapshot {record.SealedSnapshotId}");
            }

            var streamRecord = record.Streams.Find(s => s.Name == stream) ?? throw new SessionException(409, $"stream {stream} was not opened in session {sessionId}");
            if (slot.Live is not { Broken: false } live || live.Epoch != epoch)
            {
                throw new SessionException(409, $"session {sessionId} was rebuilt since epoch {epoch} (media agent restarted or idle): open it again");
            }

            var body = await openBody();
            streamRecord.Attempts++;
            streamRecord.CompletedAttempt = null;
            Touch(slot, record, live);
            try
            {
                var receipt = await SessionStreamReceiver.ReceiveAsync(live, streamRecord, slot.JournalPath(streamRecord, streamRecord.Attempts), body, ct);
                streamRecord.CompletedAttempt = streamRecord.Attempts;
                Touch(slot, record, live);
                return receipt;
            }
            catch (Exception ex) when (!SessionStreamReceiver.IsBrokenStream(ex) && ex is not SessionException)
            {
                await DropLiveAsync(slot);
                if (ex is ArchiveException { Code: ArchiveErrorCode.NoSpace })
                {
                    // A full repository goes on as such (507, not retried): a retry only fills it again.
                    throw;
                }

                throw new SessionException(500, $"the archive could not store the stream ({ex.Message}); the session is rebuilt at the next open");
            }
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    /// <summary>Seals the session into its snapshot; sealing a sealed session answers the same snapshot.</summary>
    public async Task<Snapshot> SealAsync(string system, string job, string sessionId, CancellationToken ct)
    {
        RequireName(sessionId, "session id");
        var slot = Slot(system, job, sessionId);
        await slot.Gate.WaitAsync(ct);
        try
        {
            var record = (slot.Record ??= SessionRecord.Load(slot.RecordPath)) ?? throw new SessionException(404, $"no session {sessionId}");
            if (record.SealedSnapshotId is { } sealedId)
            {
                return _repository.ListSnapshots().Find(s => s.Id.ToString() == sealedId)
                    ?? throw new SessionException(409, $"session {sessionId} was sealed as snapshot {sealedId}, which no longer exists");
            }

            var live = EnsureLive(slot, record);
            var unfinished = record.Streams.Where(s => s.CompletedAttempt is null).Select(s => s.Name).ToList();
            if (record.Streams.Count == 0 || unfinished.Count > 0)
            {
                throw new SessionException(409, record.Streams.Count == 0
                    ? $"session {sessionId} has no stream to seal"
                    : $"session {sessionId} has unfinished streams ({string.Join(", ", unfinished)}): send them again before sealing");
            }

            Snapshot snapshot;
            try
            {
                foreach (var entry in SessionRecovery.Merge(slot, record))
                {
                    if (entry.ChangedDuringBackup)
                    {
                        live.Archive.Warn(StreamBackup.ChangedWarning(entry));
                    }

                    live.Archive.Add(entry);
                }

                snapshot = await live.Archive.CommitAsync(CancellationToken.None);
            }
            catch (Exception ex) when (ex is not SessionException)
            {
                await DropLiveAsync(slot);
                if (ex is ArchiveException { Code: ArchiveErrorCode.NoSpace })
                {
                    throw;
                }

                throw new SessionException(500, $"sealing failed ({ex.Message}); open the session again and resend its streams");
            }

            record.SealedSnapshotId = snapshot.Id.ToString();
            record.LastActivity = _time.GetUtcNow();
            record.Save(slot.RecordPath);
            await live.DisposeAsync();
            slot.Live = null;
            foreach (var journal in Directory.EnumerateFiles(slot.Folder, "*.journal"))
            {
                File.Delete(journal);
            }

            return snapshot;
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    public static SnapshotInfo Info(Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new SnapshotInfo(snapshot.Id.ToString(), snapshot.Host, snapshot.Time, snapshot.Tags);
    }

    public async ValueTask DisposeAsync()
    {
        await _sweeper.DisposeAsync();
#pragma warning disable VSTHRD003 // the sweep was started by this object's own timer, not by another context
        await _sweeping;
#pragma warning restore VSTHRD003
        List<SessionSlot> slots;
        lock (_lock)
        {
            slots = [.. _slots.Values];
        }

        foreach (var slot in slots)
        {
            if (slot.Live is { } live)
            {
                await live.DisposeAsync();
                slot.Live = null;
            }
        }
    }

    private static void RequireName(string? value, string what)
    {
        if (value is null || !NamePattern().IsMatch(value))
        {
            throw new SessionException(400, $"{what} '{value}' must match [A-Za-z0-9._:@-]{{1,128}}");
        }
    }

    private SessionSlot Slot(string system, string job, string sessionId)
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{system}\n{job}\n{sessionId}")))[..32];
        lock (_lock)
        {
            if (!_slots.TryGetValue(key, out var slot))
            {
                slot = new SessionSlot(Path.Combine(_folder, key));
                _slots[key] = slot;
            }

            return slot;
        }
    }

    private string? ResolveParent(string system, SessionOpenRequest request)
    {
        if (request.Level != SessionLevels.Incremental)
        {
            return null;
        }

        Snapshot? parent;
        if (request.ParentSnapshotId is { } wanted)
        {
            try
            {
                parent = _repository.FindSnapshot(wanted);
            }
            catch (ArchiveException ex) when (ex.Code != ArchiveErrorCode.DamagedRepository)
            {
                // A damaged parent is not "not found": it goes on as damaged data, which no retry reads.
                throw new SessionException(404, $"parent snapshot '{wanted}': {ex.Message}");
            }

            if (parent.Host != system)
            {
                throw new SessionException(403, $"parent snapshot {parent.Id} belongs to {parent.Host}, not to {system}");
            }
        }
        else
        {
            // A snapshot file that cannot be read is no parent (verify reports it); it must not stop every later backup.
            parent = _repository.ListSnapshots(damaged: new List<DamagedSnapshot>()).Where(s => s.Host == system).MaxBy(s => s.Time);
        }

        return parent?.Id.ToString();
    }

    private static void RequireSameBasis(SessionRecord record, SessionOpenRequest request)
    {
        var parentDiffers = request.ParentSnapshotId is { } wanted
            && (record.ParentSnapshotId is null || !record.ParentSnapshotId.StartsWith(wanted, StringComparison.Ordinal));
        if (record.Level != request.Level || (record.Level == SessionLevels.Incremental && parentDiffers))
        {
            throw new SessionException(409, $"session {record.SessionId} is {record.Level} with parent {record.ParentSnapshotId ?? "none"}; this open asks for {request.Level} with parent {request.ParentSnapshotId ?? "(newest)"}");
        }
    }

    private LiveSession EnsureLive(SessionSlot slot, SessionRecord record)
    {
        if (slot.Live is { Broken: false } existing)
        {
            return existing;
        }

        var options = new BackupOptions
        {
            Host = record.System,
            Parent = record.ParentSnapshotId ?? "none",
            Tags = new Dictionary<string, string>
            {
                ["system"] = record.System,
                ["job"] = record.Job,
                ["level"] = record.Level,
                ["session"] = record.SessionId,
            },
        };
        BackupSession archive;
        try
        {
            // Under the registry lock: the index is never reloaded while a session adopts packs into it.
            lock (_lock)
            {
                archive = BackupSession.Start(_repository, options);
            }
        }
        catch (ArchiveException ex) when (ex.Code is not (ArchiveErrorCode.DamagedRepository or ArchiveErrorCode.NoSpace))
        {
            // Damaged data and a full repository (no room for the lock) are no busy repository: no retry passes them.
            throw new SessionException(409, $"the repository cannot start a backup now: {ex.Message}");
        }

        record.Epoch++;
        var live = new LiveSession(archive, record.Epoch) { LastUsed = _time.GetUtcNow() };
        SessionRecovery.Rebuild(_repository, slot, record, live);
        slot.Live = live;
        record.Save(slot.RecordPath);
        return live;
    }

    private void Touch(SessionSlot slot, SessionRecord record, LiveSession live)
    {
        live.LastUsed = record.LastActivity = _time.GetUtcNow();
        record.Save(slot.RecordPath);
    }

    [GeneratedRegex("^[A-Za-z0-9._:@-]{1,128}$")]
    private static partial Regex NamePattern();
}

using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using UdcBackup.Activities.Catalog;
using UdcBackup.Activities.Systems;
using UdcBackup.Durable.Failures;

namespace UdcBackup.Workflows.Tests.Support;

/// <summary>
/// The disk and media agents as an in-test recording: every call is journaled as
/// <c>system:what</c> in call order; a system's stream can be made to fail or to hang until
/// cancelled (or released), and a probe can look at the firewall while a stream runs.
/// Snapshot ids are SHA-256 hex of the backup session, like the archive's content ids.
/// </summary>
public sealed class RecordingAgents : IDiskAgentGateway, IMediaAgentGateway
{
    private readonly ConcurrentQueue<string> _journal = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _hangs = new();

    public IReadOnlyList<string> Journal => _journal.ToList();

    public ConcurrentBag<string> FailStreamOf { get; } = [];

    /// <summary>Systems whose data sets match no file: their streams move nothing (and still seal when asked, as a media agent does).</summary>
    public ConcurrentBag<string> EmptyStreamOf { get; } = [];

    /// <summary>System whose snapshots carry another system's tag (a media agent bug or an attack).</summary>
    public ConcurrentDictionary<string, string> WrongTagOf { get; } = new();

    public ConcurrentBag<StreamRestoreInput> Restores { get; } = [];

    /// <summary>Systems whose disk agent refuses a restore target, with the reason it answers.</summary>
    public ConcurrentDictionary<string, string> RefuseTargetOf { get; } = new();

    public ConcurrentBag<string> Forgotten { get; } = [];

    /// <summary>Called inside every stream; the result is journaled as <c>system:probe=VALUE</c>.</summary>
    public Func<Task<string>>? StreamProbe { get; set; }

    /// <summary>The next stream of <paramref name="systemId"/> waits until cancelled or <see cref="Release"/>d.</summary>
    public void HangStreamOf(string systemId) => _hangs[systemId] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release(string systemId)
    {
        if (_hangs.TryRemove(systemId, out var hang))
        {
            hang.TrySetResult();
        }
    }

    /// <summary>The id a sealed backup session gets here.</summary>
    public static string SnapshotIdOf(string sessionId) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sessionId)));

    public List<string> Of(string systemId) => Journal.Where(e => e.StartsWith(systemId + ":", StringComparison.Ordinal)).ToList();

    public Task<ScriptOutcome> RunScriptAsync(ScriptCallInput call, CancellationToken cancellationToken)
    {
        _journal.Enqueue($"{call.SystemId}:{call.Script}");
        return Task.FromResult(new ScriptOutcome(0, "ok", string.Empty, false, 1));
    }

    public async Task<StreamOutcome> StreamBackupAsync(StreamBackupInput request, TransferProgress? resumeFrom, IProgress<TransferProgress> progress, CancellationToken cancellationToken)
    {
        _journal.Enqueue($"{request.SystemId}:stream {string.Join(",", request.DataSets.Select(d => d.Name))} {request.Level}");
        await ProbeAndHangAsync(request.SystemId, cancellationToken);
        if (FailStreamOf.Contains(request.SystemId))
        {
            _journal.Enqueue($"{request.SystemId}:stream failed");
            throw new ApplicationFailureException($"disk agent of {request.SystemId}: connection reset", "StreamBroken", nonRetryable: true);
        }

        var (bytes, files) = EmptyStreamOf.Contains(request.SystemId) ? (0L, 0L) : (1000L, 10L);
        progress.Report(new TransferProgress(bytes, files));
        var id = request.Seal ? SnapshotIdOf(request.SessionId) : null;
        var tag = WrongTagOf.TryGetValue(request.SystemId, out var wrong) ? wrong : request.SystemId;
        return new StreamOutcome(id, request.Seal ? tag : null, bytes, files);
    }

    public async Task<StreamOutcome> StreamRestoreAsync(StreamRestoreInput request, TransferProgress? resumeFrom, IProgress<TransferProgress> progress, CancellationToken cancellationToken)
    {
        _journal.Enqueue($"{request.TargetSystemId}:restore {request.SnapshotId[..8]}");
        Restores.Add(request);
        await ProbeAndHangAsync(request.TargetSystemId, cancellationToken);
        if (FailStreamOf.Contains(request.TargetSystemId))
        {
            _journal.Enqueue($"{request.TargetSystemId}:restore failed");
            throw new ApplicationFailureException($"disk agent of {request.TargetSystemId}: disk full", "StreamBroken", nonRetryable: true);
        }

        return new StreamOutcome(null, null, 2000, 20, AlreadyCorrectFiles: 7, AlreadyCorrectBytes: 700);
    }

    public Task<string?> CheckRestoreTargetAsync(StreamRestoreInput request, CancellationToken cancellationToken)
    {
        _journal.Enqueue($"{request.TargetSystemId}:check target {request.Into ?? "/"}");
        return Task.FromResult(RefuseTargetOf.TryGetValue(request.TargetSystemId, out var reason) ? reason : null);
    }

    public Task ForgetSnapshotsAsync(string mediaEndpoint, string repository, IReadOnlyList<string> snapshotIds, CancellationToken cancellationToken)
    {
        foreach (var id in snapshotIds)
        {
            Forgotten.Add(id);
        }

        return Task.CompletedTask;
    }

    private async Task ProbeAndHangAsync(string systemId, CancellationToken cancellationToken)
    {
        if (StreamProbe is { } probe)
        {
            _journal.Enqueue($"{systemId}:probe={await probe()}");
        }

        if (_hangs.TryGetValue(systemId, out var hang))
        {
            _journal.Enqueue($"{systemId}:hanging");
            try
            {
                await hang.Task.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                _journal.Enqueue($"{systemId}:stream cancelled");
                throw;
            }
        }
    }
}

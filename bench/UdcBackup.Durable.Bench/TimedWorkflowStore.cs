using System.Diagnostics;
using UdcBackup.Durable.Storage;

namespace UdcBackup.Durable.Bench;

/// <summary>
/// Wraps the real store and measures how long commits take (wall time inside CommitAsync,
/// including fsync). Commits run on the runtime's single writer, so commit time close to the
/// scenario's wall time means the writer is the bottleneck; far below it means the cost is elsewhere.
/// </summary>
internal sealed class TimedWorkflowStore(IWorkflowStore inner) : DelegatingWorkflowStore(inner)
{
    private long _commitTicks;

    public TimeSpan CommitTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _commitTicks));

    public override async Task<IReadOnlyList<bool>> CommitAsync(IReadOnlyList<StoreWriteSet> sets, CancellationToken cancellationToken = default)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            return await Inner.CommitAsync(sets, cancellationToken);
        }
        finally
        {
            Interlocked.Add(ref _commitTicks, Stopwatch.GetTimestamp() - start);
        }
    }
}

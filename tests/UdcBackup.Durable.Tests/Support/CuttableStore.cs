using UdcBackup.Durable.Storage;

namespace UdcBackup.Durable.Tests.Support;

/// <summary>
/// A store wrapper that can be cut off: after <see cref="Cut"/> (or after a set number of
/// further commits) every commit throws and lease renewals and releases are skipped, so what the
/// runtime had not written before stays unwritten, exactly as after a kill. Counts commits.
/// The one crash-injecting store of the test projects (the workflows tests compile this file too).
/// </summary>
public sealed class CuttableStore(IWorkflowStore inner) : DelegatingWorkflowStore(inner)
{
    private static readonly IReadOnlyDictionary<string, long> NothingRenewed = new Dictionary<string, long>();
    private volatile bool cut;
    private int commitsLeft = int.MaxValue;

    public int Commits { get; private set; }

    /// <summary>Gets a value indicating whether the store was cut off (by <see cref="Cut"/>, a count or <see cref="CutWhen"/>).</summary>
    public bool IsCut => cut;

    /// <summary>Gets or sets a predicate over the sets of a commit: when true, the store is cut before that commit.</summary>
    public Func<IReadOnlyList<StoreWriteSet>, bool>? CutWhen { get; set; }

    /// <summary>Gets or sets what happens at the start of every commit (e.g. the clock moving while it runs).</summary>
    public Action<IReadOnlyList<StoreWriteSet>>? BeforeCommit { get; set; }

    public void Cut() => cut = true;

    public void CutAfter(int commits) => commitsLeft = commits;

    public override Task<IReadOnlyList<bool>> CommitAsync(IReadOnlyList<StoreWriteSet> sets, CancellationToken cancellationToken = default)
    {
        BeforeCommit?.Invoke(sets);
        if (!cut && CutWhen is { } when && when(sets))
        {
            cut = true;
        }

        if (cut || Interlocked.Decrement(ref commitsLeft) < 0)
        {
            cut = true;
            throw new IOException("Simulated crash: the store is cut off.");
        }

        Commits++;
        return Inner.CommitAsync(sets, cancellationToken);
    }

    // A dead process neither renews nor releases; an empty answer is not read as "every run lost"
    // because the runtime checks each unrenewed run against the store before dropping it.
    public override Task<IReadOnlyDictionary<string, long>> RenewLeasesAsync(string ownerId, DateTime leaseExpiresAt, CancellationToken cancellationToken = default) =>
        cut ? Task.FromResult(NothingRenewed) : Inner.RenewLeasesAsync(ownerId, leaseExpiresAt, cancellationToken);

    public override Task ReleaseLeasesAsync(string ownerId, CancellationToken cancellationToken = default) =>
        cut ? Task.CompletedTask : Inner.ReleaseLeasesAsync(ownerId, cancellationToken);

    public override Task<bool> EnqueueInboxAsync(InboxMessage message, CancellationToken cancellationToken = default) =>
        cut ? throw new IOException("Simulated crash: the store is cut off.") : Inner.EnqueueInboxAsync(message, cancellationToken);

    public override Task<IReadOnlyList<InboxMessage>> PurgeInboxAsync(CancellationToken cancellationToken = default) =>
        cut ? Task.FromResult<IReadOnlyList<InboxMessage>>([]) : Inner.PurgeInboxAsync(cancellationToken);
}

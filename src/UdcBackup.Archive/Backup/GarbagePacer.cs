namespace UdcBackup.Archive.Backup;

/// <summary>
/// Bounds the garbage a local backup leaves between two collections. The runtime's workstation GC
/// sizes its young-generation budget from the largest CPU cache (about 40 MiB of allocations
/// between collections on the 105 MiB L3 of the benchmark machine), and only an environment variable
/// (<c>DOTNET_GCgen0size</c>) lowers it: no runtime-config name reaches it, a published <c>udc</c>
/// cannot set its own environment, and the same setting would apply to the server and agents. A
/// backup's walk and per-file work allocate short-lived objects steadily (paths, entries, file
/// handles, state machines), so a full budget of garbage was a fixed part of its peak memory.
/// Callers <see cref="Tick"/> once per unit of work (a folder listed, a file read); once the process
/// has allocated the budget since the pacer last collected, that tick runs a blocking
/// young-generation collection, so the young generation keeps reusing the same few megabytes instead
/// of touching new pages. A collection the runtime ran on its own in between is not seen: at worst
/// one young collection more than needed, which costs about a millisecond. Thread-safe: only the
/// tick that moves the threshold collects.
/// </summary>
internal sealed class GarbagePacer(long budget)
{
    /// <summary>The pacer of local backups: 8 MiB, where the young-generation share of the peak stopped shrinking in measurements.</summary>
    public static readonly GarbagePacer Backup = new(8L << 20);

    private long _next = GC.GetTotalAllocatedBytes() + budget;

    /// <summary>Collects the young generation when the budget was allocated since the last time; otherwise one counter read.</summary>
    public void Tick()
    {
        var next = Volatile.Read(ref _next);
        var allocated = GC.GetTotalAllocatedBytes(precise: false);
        if (allocated < next || Interlocked.CompareExchange(ref _next, allocated + budget, next) != next)
        {
            return;
        }

        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
    }
}

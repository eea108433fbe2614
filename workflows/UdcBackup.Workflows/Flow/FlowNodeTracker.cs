namespace UdcBackup.Workflows.Flow;

/// <summary>
/// Keeps each node's state for the <c>nodes</c> query. A node inside a for-each runs once per
/// item, possibly at the same time, so it counts running, done and failed runs and shows the
/// most telling state: failed, then running, then done. Only changed by workflow code, so a
/// replay rebuilds the same states.
/// </summary>
public sealed class FlowNodeTracker
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    public FlowNodeTracker(IEnumerable<string> nodeIds)
    {
        ArgumentNullException.ThrowIfNull(nodeIds);
        foreach (var id in nodeIds)
        {
            if (_entries.TryAdd(id, new Entry()))
            {
                _order.Add(id);
            }
        }
    }

    public void Started(string nodeId, int? activityCall = null)
    {
        var e = Get(nodeId);
        e.Running++;
        e.Skipped = false;
        if (activityCall is { } call)
        {
            e.Calls.Add(call);
        }
    }

    public void Done(string nodeId, int? activityCall = null, string? note = null)
    {
        var e = Get(nodeId);
        e.Running = Math.Max(0, e.Running - 1);
        e.Done++;
        e.Note = note ?? e.Note;
        Remove(e, activityCall);
    }

    public void Failed(string nodeId, string error, int? activityCall = null)
    {
        var e = Get(nodeId);
        e.Running = Math.Max(0, e.Running - 1);
        e.Failed++;
        e.Error = error;
        Remove(e, activityCall);
    }

    /// <summary>Marks nodes that have not run (and are not running) as skipped.</summary>
    public void Skip(IEnumerable<string> nodeIds)
    {
        foreach (var id in nodeIds)
        {
            var e = Get(id);
            if (e.Running == 0 && e.Done == 0 && e.Failed == 0)
            {
                e.Skipped = true;
            }
        }
    }

    /// <summary>Every node that never ran is skipped (the run ended).</summary>
    public void SkipRest() => Skip(_order);

    public IReadOnlyList<FlowNodeState> Snapshot() => _order.Select(id =>
    {
        var e = _entries[id];
        var state = e.Failed > 0 ? "failed" : e.Running > 0 ? "running" : e.Done > 0 ? "done" : e.Skipped ? "skipped" : "waiting";
        return new FlowNodeState(id, state, e.Running > 0 || e.Done > 0 || e.Failed > 0 ? 1 : 0, null, e.Error ?? e.Note, e.Done + e.Failed, e.Calls.ToList());
    }).ToList();

    private Entry Get(string nodeId)
    {
        if (!_entries.TryGetValue(nodeId, out var e))
        {
            _entries[nodeId] = e = new Entry();
            _order.Add(nodeId);
        }

        return e;
    }

    private static void Remove(Entry e, int? call)
    {
        if (call is { } c)
        {
            e.Calls.Remove(c);
        }
    }

    private sealed class Entry
    {
        public int Running { get; set; }

        public int Done { get; set; }

        public int Failed { get; set; }

        public bool Skipped { get; set; }

        public string? Error { get; set; }

        public string? Note { get; set; }

        public SortedSet<int> Calls { get; } = [];
    }
}

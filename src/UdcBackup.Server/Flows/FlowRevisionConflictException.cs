using System.Globalization;

namespace UdcBackup.Server.Flows;

/// <summary>
/// A draft save, an import over an existing flow or a publish named a revision that is no longer
/// the current one (someone saved in between), or none at all for a flow that exists. Carries who
/// saved the current draft and when, so the answer can say whose work a retry would replace.
/// </summary>
public sealed class FlowRevisionConflictException(StoredFlow current, int? expected)
    : Exception(Describe(current, expected))
{
    /// <summary>The flow as it is stored now.</summary>
    public StoredFlow Current { get; } = current;

    private static string Describe(StoredFlow current, int? expected)
    {
        var saved = $"revision {current.DraftRevision}, saved by {current.UpdatedBy} at {current.UpdatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC";
        return expected is { } revision
            ? $"flow {current.Id}: the draft is at {saved}, not at revision {revision}; reload it and apply your change again"
            : $"flow {current.Id} exists already (draft {saved}); open it, choose another id, or send baseRevision {current.DraftRevision} to replace its draft";
    }
}

namespace UdcBackup.Site.Model;

/// <summary>
/// A protected system: its identity (the name its disk agent's certificate carries), its zone, the
/// disk agent's endpoint, its address as the firewalls see it, what to back up and how to quiesce it.
/// </summary>
public sealed record ProtectedSystem(
    string Id,
    string Zone,
    string AgentEndpoint,
    string Address,
    ApplicationKind ApplicationKind,
    IReadOnlyList<DataSet> DataSets,
    SystemScripts Scripts,
    TierInfo? Tier);

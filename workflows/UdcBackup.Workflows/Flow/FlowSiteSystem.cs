using UdcBackup.Activities.Systems;

namespace UdcBackup.Workflows.Flow;

/// <summary>A protected system as a flow run sees it (<c>vars.system.address</c> and friends read these fields).</summary>
public sealed record FlowSiteSystem(
    string Id,
    string Zone,
    string AgentEndpoint,
    string Address,
    string ApplicationKind,
    string? Application,
    string? Tier,
    int TierOrder,
    IReadOnlyList<DataSetSpec> DataSets,
    IReadOnlyList<string> Scripts);

namespace UdcBackup.Workflows.Flow;

/// <summary>A media agent as a flow run sees it.</summary>
public sealed record FlowSiteMediaAgent(string Id, string Endpoint, string Address);

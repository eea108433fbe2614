namespace UdcBackup.Workflows.Flow;

/// <summary>An edge from <see cref="Source"/> through its port <see cref="Port"/> to <see cref="Target"/>.</summary>
public sealed record FlowEdge(string Id, string Source, string Port, string Target);

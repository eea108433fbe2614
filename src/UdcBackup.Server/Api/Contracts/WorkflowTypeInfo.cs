namespace UdcBackup.Server.Api.Contracts;

/// <summary>
/// A registered workflow type as <c>GET /api/workflow-types?signals=true</c> lists it: its name and
/// the signals its runs take (empty: none), so a client offers those and no other.
/// </summary>
public sealed record WorkflowTypeInfo(string Name, IReadOnlyList<string> Signals);

namespace UdcBackup.Server.Flows;

/// <summary>One line of a plan preview: what a run will do, in order.</summary>
public sealed record FlowPlanStep(int Order, string NodeId, string Kind, string? Activity, string Summary, string? System, string? Script, int? Port);

namespace UdcBackup.Workflows.Flow;

/// <summary>Where the designer draws a node; the interpreter ignores it.</summary>
public sealed record FlowPosition(double X, double Y);

namespace UdcBackup.Workflows.Flow;

/// <summary>An expression that does not parse, or whose value cannot be computed (wrong operand types, missing reference).</summary>
public sealed class FlowExpressionException(string message) : Exception(message);

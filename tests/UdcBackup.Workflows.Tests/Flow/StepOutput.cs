namespace UdcBackup.Workflows.Tests.Flow;

public sealed record StepOutput(string Name, int Value);

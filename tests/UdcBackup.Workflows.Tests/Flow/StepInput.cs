namespace UdcBackup.Workflows.Tests.Flow;

public sealed record StepInput(string Name, int Value = 0, string? JobId = null);

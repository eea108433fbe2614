namespace UdcBackup.Activities.Diagnostics;

/// <summary>Result of <c>diag.step</c>: which step ran, on which attempt.</summary>
public sealed record DiagStepResult(int Step, int Attempt);

namespace UdcBackup.Workflows.Diagnostics;

/// <summary>Result of a successful <c>diag.steps</c> run.</summary>
public sealed record DiagStepsResult(int StepsCompleted, bool CleanedUp);

namespace UdcBackup.Activities.Diagnostics;

/// <summary>Input of <c>diag.step</c>.</summary>
/// <param name="Step">1-based step number.</param>
/// <param name="StepMillis">How long the step works, in milliseconds.</param>
/// <param name="Fail">Whether this step fails on purpose (non-retryable).</param>
public sealed record DiagStepInput(int Step, int StepMillis, bool Fail);

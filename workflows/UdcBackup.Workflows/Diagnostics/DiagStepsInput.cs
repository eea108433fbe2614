namespace UdcBackup.Workflows.Diagnostics;

/// <summary>Input of <c>diag.steps</c>: <c>{"steps":N,"stepMillis":M,"failAt":K}</c>.</summary>
/// <param name="Steps">How many step activities run, one after the other (1..10000).</param>
/// <param name="StepMillis">How long each step (and the cleanup) works, in milliseconds.</param>
/// <param name="FailAt">The step that fails on purpose, if any (1..Steps).</param>
public sealed record DiagStepsInput(int Steps = 3, int StepMillis = 100, int? FailAt = null);

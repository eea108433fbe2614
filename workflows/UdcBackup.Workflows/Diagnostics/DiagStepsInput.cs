namespace UdcBackup.Workflows.Diagnostics;

/// <summary>Input of <c>diag.steps</c>: <c>{"steps":N,"stepMillis":M,"failAt":K,"cleanupMillis":C}</c>.</summary>
/// <param name="Steps">How many step activities run, one after the other (1..10000).</param>
/// <param name="StepMillis">How long each step works, in milliseconds.</param>
/// <param name="FailAt">The step that fails on purpose, if any (1..Steps).</param>
/// <param name="CleanupMillis">How long the cleanup works, in milliseconds; <see cref="StepMillis"/> when absent.</param>
public sealed record DiagStepsInput(int Steps = 3, int StepMillis = 100, int? FailAt = null, int? CleanupMillis = null);

using UdcBackup.Durable.Workflows;

namespace UdcBackup.Workflows.Diagnostics;

/// <summary>Input of <c>diag.steps</c>: <c>{"steps":N,"stepMillis":M,"failAt":K,"cleanupMillis":C}</c>.</summary>
/// <param name="Steps">How many step activities run, one after the other (1..10000).</param>
/// <param name="StepMillis">How long each step works, in milliseconds (0..3600000).</param>
/// <param name="FailAt">The step that fails on purpose, if any (1..Steps).</param>
/// <param name="CleanupMillis">How long the cleanup works, in milliseconds (0..3600000); <see cref="StepMillis"/> when absent.</param>
public sealed record DiagStepsInput(int Steps = 3, int StepMillis = 100, int? FailAt = null, int? CleanupMillis = null) : IValidatedWorkflowInput
{
    /// <summary>The most steps a run takes.</summary>
    public const int MaxSteps = 10_000;

    /// <summary>The longest a step or the cleanup works, in milliseconds (one hour).</summary>
    public const int MaxMillis = 3_600_000;

    /// <inheritdoc />
    public IReadOnlyList<string> Problems()
    {
        var problems = new WorkflowInputProblems()
            .Between("steps", Steps, 1, MaxSteps)
            .Between("stepMillis", StepMillis, 0, MaxMillis)
            .Between("cleanupMillis", CleanupMillis, 0, MaxMillis);
        // Against steps only when steps itself is valid, so one mistake is named once.
        if (FailAt is { } k && Steps is >= 1 and <= MaxSteps && (k < 1 || k > Steps))
        {
            problems.Add($"failAt must be between 1 and steps ({Steps}), was {k}");
        }

        return problems.ToList();
    }
}

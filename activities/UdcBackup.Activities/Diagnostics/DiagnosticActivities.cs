using System.Text;
using UdcBackup.Durable.Activities;
using UdcBackup.Durable.Failures;

namespace UdcBackup.Activities.Diagnostics;

/// <summary>
/// The activities of the built-in self-test workflow <c>diag.steps</c>. Each one "works" for the
/// requested time in short slices, heartbeating its progress; a retried attempt resumes from the
/// last recorded progress instead of starting over (what a long transfer does after a crash).
/// When an evidence directory is configured, every attempt appends lines to
/// <c>EVIDENCE/&lt;workflow id&gt;.log</c> ("step 2 started attempt 1", "step 2 completed attempt 1",
/// "cleanup started ...", "cleanup completed ..."), so an operator or a crash test can see from
/// outside what really ran and when. Evidence lines are appended and closed at once, so they survive
/// a SIGKILL of the controller.
/// </summary>
public sealed class DiagnosticActivities
{
    /// <summary>The error type of a failure requested with <c>failAt</c>; it is not retried.</summary>
    public const string RequestedFailure = "DiagRequestedFailure";

    private static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(100);
    private readonly string? _evidenceDirectory;
    private readonly TimeProvider _time;

    /// <param name="evidenceDirectory">Where evidence files go; null to write none (benchmarks).</param>
    /// <param name="time">The clock the work slices run on.</param>
    public DiagnosticActivities(string? evidenceDirectory, TimeProvider? time = null)
    {
        _evidenceDirectory = evidenceDirectory;
        _time = time ?? TimeProvider.System;
        if (evidenceDirectory is not null)
        {
            Directory.CreateDirectory(evidenceDirectory);
        }
    }

    /// <summary>The evidence file of one workflow run, or null when evidence is off.</summary>
    public string? EvidenceFile(string workflowId) =>
        _evidenceDirectory is null ? null : Path.Combine(_evidenceDirectory, SafeFileName(workflowId) + ".log");

    /// <summary>One step: works for <see cref="DiagStepInput.StepMillis"/>, then fails if asked to.</summary>
    [Activity("diag.step")]
    public async Task<DiagStepResult> StepAsync(DiagStepInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var context = ActivityExecutionContext.Current;
        var attempt = context.Info.Attempt;
        var resumeAt = ResumePoint(context);
        await AppendAsync(context, $"step {input.Step} started attempt {attempt}{(resumeAt > 0 ? $" resuming at {resumeAt} ms" : string.Empty)}");
        await WorkAsync(context, resumeAt, input.StepMillis);
        if (input.Fail)
        {
            await AppendAsync(context, $"step {input.Step} failed attempt {attempt}");
            throw new ApplicationFailureException($"diag.steps: failure requested at step {input.Step}", RequestedFailure, nonRetryable: true);
        }

        await AppendAsync(context, $"step {input.Step} completed attempt {attempt}");
        return new DiagStepResult(input.Step, attempt);
    }

    /// <summary>The cleanup the workflow's <c>finally</c> block runs whatever happened to the steps.</summary>
    [Activity("diag.cleanup")]
    public async Task CleanupAsync(DiagCleanupInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var context = ActivityExecutionContext.Current;
        var resumeAt = ResumePoint(context);
        await AppendAsync(context, $"cleanup started attempt {context.Info.Attempt} after {input.StepsCompleted} steps{(resumeAt > 0 ? $" resuming at {resumeAt} ms" : string.Empty)}");
        await WorkAsync(context, resumeAt, input.CleanupMillis);
        await AppendAsync(context, $"cleanup completed attempt {context.Info.Attempt}");
    }

    private static string SafeFileName(string id)
    {
        var builder = new StringBuilder(id.Length);
        foreach (var c in id)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }

        return builder.ToString();
    }

    // The progress the last attempt reported: a retry after a crash does only the rest.
    private static int ResumePoint(ActivityExecutionContext context) => context.GetHeartbeatDetails<DiagProgress>()?.DoneMillis ?? 0;

    private async Task WorkAsync(ActivityExecutionContext context, int done, int millis)
    {
        var started = _time.GetTimestamp();
        var start = done;
        while (done < millis)
        {
            var wait = TimeSpan.FromMilliseconds(Math.Min(Slice.TotalMilliseconds, millis - done));
            await Task.Delay(wait, _time, context.CancellationToken);
            done = Math.Min(millis, start + (int)_time.GetElapsedTime(started).TotalMilliseconds);
            context.Heartbeat(new DiagProgress(done));
        }
    }

    private async Task AppendAsync(ActivityExecutionContext context, string line)
    {
        if (EvidenceFile(context.Info.WorkflowId) is not { } file)
        {
            return;
        }

        var stamped = $"{_time.GetUtcNow():O} {line}{Environment.NewLine}";
        await File.AppendAllTextAsync(file, stamped, context.CancellationToken);
    }
}

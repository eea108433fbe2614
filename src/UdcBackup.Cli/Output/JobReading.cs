using System.Text.Json;
using UdcBackup.Server.Site;

namespace UdcBackup.Cli.Output;

/// <summary>
/// One reading of a job run (<c>GET /api/jobs/{id}</c>) turned into rows a person reads: one row
/// per system for a backup, one row for the target of a restore. A row's bytes and files are the
/// finished streams' totals plus, for the system that is streaming now, the running transfer's
/// heartbeat totals, so the numbers grow while data moves. <see cref="JobRow.Done"/> is the
/// fraction of the row's steps behind it (0..1), the basis of the progress bars.
/// The reading is tolerant: fields the API leaves out read as empty or zero, never as an error.
/// </summary>
internal sealed record JobReading(string Id, string Type, string Status, DateTime StartTime, DateTime? CloseTime, string? Phase, IReadOnlyList<JobRow> Rows, string? Failure)
{
    private static readonly string[] BackupSteps = ["choose level", "pre-backup", "stream", "post-backup", "stream after post-backup", "record snapshot"];
    private static readonly string[] RestorePhases = ["starting", "checking snapshot", "checking target", "opening windows", "stopping programs", "streaming", "starting programs", "closing windows"];

    /// <summary>True while the run can still change.</summary>
    public bool IsRunning => Status == "Running";

    /// <summary>True when the run completed and none of its systems failed, was skipped or cancelled.</summary>
    public bool Succeeded => Status == "Completed" && Rows.All(r => r.State is "Succeeded" or "Completed");

    /// <summary>The systems that did not succeed (failed, skipped, cancelled, still pending), in the run's order.</summary>
    public IReadOnlyList<JobRow> NotOk => [.. Rows.Where(r => r.State is not ("Succeeded" or "Completed"))];

    /// <summary>
    /// The run's status as an operator should read it: a backup that continues past a failed system
    /// completes as a workflow, so "Completed" alone would hide that systems failed.
    /// </summary>
    public string Outcome =>
        Status == "Completed" && Rows.Count > 0 && NotOk is { Count: > 0 } bad
            ? $"Completed with {bad.Count} of {Rows.Count} systems not ok ({string.Join(", ", bad.Select(r => $"{r.System} {r.State.ToLowerInvariant()}"))})"
            : Status;

    /// <summary>Fraction of the whole run behind it (0..1): the mean of its rows.</summary>
    public double Done => Rows.Count == 0 ? (IsRunning ? 0 : 1) : Rows.Average(r => r.Done);

    public static JobReading From(JobDetails job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var streaming = job.RunningTransfers.Sum(t => Number(t, "bytes"));
        var streamingFiles = job.RunningTransfers.Sum(t => Number(t, "files"));
        var rows = new List<JobRow>();
        string? phase = null;
        if (job.Progress is { ValueKind: JsonValueKind.Object } progress)
        {
            phase = Text(progress, "phase");
            if (progress.TryGetProperty("systems", out var systems) && systems.ValueKind == JsonValueKind.Array)
            {
                foreach (var s in systems.EnumerateArray())
                {
                    var state = Text(s, "status") ?? "Pending";
                    var step = Text(s, "step");
                    var live = state == "Running" && job.RunningTransfers.Count > 0;
                    rows.Add(new JobRow(
                        Text(s, "systemId") ?? "?",
                        state,
                        step,
                        Text(s, "level"),
                        Number(s, "bytes") + (live ? streaming : 0),
                        Number(s, "files") + (live ? streamingFiles : 0),
                        Text(s, "snapshotId"),
                        Text(s, "error"),
                        Text(s, "warning"),
                        BackupDone(state, step)));
                }
            }
            else
            {
                var running = job.Status == "Running";

                // A restore that failed or was cancelled still carries the phase its cleanup reached
                // ("closing windows"), which read as work still going on.
                phase = running || job.Status == "Completed" ? phase : job.Status.ToLowerInvariant();
                var bytes = Math.Max(Number(progress, "bytes"), running ? streaming : 0);
                var files = Math.Max(Number(progress, "files"), running ? streamingFiles : 0);
                var approved = Text(progress, "approvedBy");
                var from = Text(progress, "snapshotSystemId");
                var target = Text(progress, "targetSystemId") ?? "?";
                var note = from is not null && from != target ? $"from {from}, approved by {approved ?? "nobody"}" : null;
                rows.Add(new JobRow(
                    target,
                    running ? "Running" : job.Status,
                    running ? phase : null,
                    null,
                    bytes,
                    files,
                    Text(progress, "snapshotId"),
                    running ? null : job.Failure,
                    note,
                    running ? RestoreDone(phase) : 1,
                    Number(progress, "alreadyCorrectFiles"),
                    Number(progress, "alreadyCorrectBytes")));
            }
        }

        return new JobReading(job.Id, job.WorkflowType, job.Status, job.StartTime, job.CloseTime, phase, rows, job.Failure);
    }

    private static double BackupDone(string state, string? step)
    {
        if (state is "Succeeded" or "Failed" or "Skipped" or "Cancelled")
        {
            return 1;
        }

        if (state != "Running")
        {
            return 0;
        }

        var index = step is null ? -1 : Array.IndexOf(BackupSteps, step);
        return index < 0 ? 0 : (double)index / BackupSteps.Length;
    }

    private static double RestoreDone(string? phase)
    {
        var index = phase is null ? -1 : Array.IndexOf(RestorePhases, phase);
        return index < 0 ? 0 : (double)index / RestorePhases.Length;
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? (v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText()) : null;

    private static long Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : 0;
}

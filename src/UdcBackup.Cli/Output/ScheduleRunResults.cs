using System.Net;
using System.Text.Json;
using UdcBackup.Cli.Client;
using UdcBackup.Server.Api.Contracts;
using UdcBackup.Server.Site;
using static UdcBackup.Cli.Client.ControllerClient;

namespace UdcBackup.Cli.Output;

/// <summary>
/// The result of each run a schedule started, for <c>udc schedule show</c>: the schedule keeps
/// only the run ids, so each run is read from the controller. A backup or restore run is read
/// through <c>GET /api/jobs/{id}</c> (no history, per-system outcome: a run that completed with a
/// failed system is not reported as a plain success); any other run through
/// <c>GET /api/workflows/{id}</c>. A run the controller no longer has reads as "no such run";
/// any other refusal (e.g. a role that may not read it) is shown with its status instead of
/// failing the whole page, and an unreachable controller still fails the command.
/// </summary>
internal static class ScheduleRunResults
{
    /// <summary>How long a failure text may be in the table.</summary>
    public const int MaxFailure = 90;

    public static async Task<IReadOnlyDictionary<string, string>> ReadAsync(ControllerClient client, string workflowType, IEnumerable<string> runIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var results = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in runIds.Distinct(StringComparer.Ordinal))
        {
            try
            {
                results[id] = ReadsAsJob(workflowType)
                    ? OfJob(JsonSerializer.Deserialize<JobDetails>(await client.GetAsync($"api/jobs/{Uri.EscapeDataString(id)}", cancellationToken), JsonOptions)!)
                    : OfWorkflow(JsonSerializer.Deserialize<WorkflowDetails>(await client.GetAsync($"api/workflows/{Uri.EscapeDataString(id)}", cancellationToken), JsonOptions)!);
            }
            catch (ControllerProblemException e) when (e.Status == HttpStatusCode.NotFound)
            {
                results[id] = "no such run (removed)";
            }
            catch (ControllerProblemException e)
            {
                results[id] = $"unknown ({(int)e.Status} {e.Title})";
            }
        }

        return results;
    }

    /// <summary>Whether a run of <paramref name="workflowType"/> is read through <c>GET /api/jobs/{id}</c>: the controller's own list.</summary>
    public static bool ReadsAsJob(string workflowType) => JobWorkflowTypes.Contains(workflowType);

    private static string OfJob(JobDetails job)
    {
        var reading = JobReading.From(job);
        if (reading.IsRunning)
        {
            return "running";
        }

        if (job.Status != "Completed")
        {
            return Failed(job.Status, job.Failure);
        }

        var bad = reading.NotOk;
        if (reading.Rows.Count == 0 || bad.Count == 0)
        {
            return reading.Rows.Count > 1 ? $"completed, {reading.Rows.Count} systems ok" : "completed";
        }

        var first = bad[0];
        return Cut($"completed, {bad.Count} of {reading.Rows.Count} systems not ok: {string.Join(", ", bad.Select(r => $"{r.System} {r.State.ToLowerInvariant()}"))}{(first.Error is { } e ? $" ({FirstLine(e)})" : string.Empty)}");
    }

    private static string OfWorkflow(WorkflowDetails run) =>
        run.Status switch
        {
            "Running" => "running",
            "Completed" => "completed",
            "ContinuedAsNew" => "continued as new",
            _ => Failed(run.Status, run.Failure?.Message),
        };

    private static string Failed(string status, string? failure) =>
        Cut(failure is { Length: > 0 } f ? $"{status.ToLowerInvariant()}: {FirstLine(f)}" : status.ToLowerInvariant());

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();

    private static string Cut(string text) => text.Length <= MaxFailure ? text : text[..(MaxFailure - 3)] + "...";
}

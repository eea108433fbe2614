using System.Globalization;
using UdcBackup.Durable.Client;

namespace UdcBackup.Server.Api.Runs;

/// <summary>
/// The filters of a runs listing (<c>GET /api/workflows</c> and its live stream): type, status,
/// the system the run concerns (<see cref="RunSystems"/>, stored with each run as its
/// <c>system</c> search attribute), a start-time range (<c>startedAfter</c> inclusive,
/// <c>startedBefore</c> exclusive, ISO 8601; without an offset a time is UTC), a page size and a
/// page cursor (<c>after</c>: the run id the page continues after). The store applies all of them
/// (the system through its attribute index) and is asked for one run more than the page, so the
/// next cursor (the page's last run) is given only when another run follows: pages never skip or
/// repeat a run, and every page but the last is full.
/// </summary>
public sealed record RunQuery(string? Type, WorkflowExecutionStatus? Status, string? System, DateTime? StartedAfter, DateTime? StartedBefore, int Limit, string? After)
{
    /// <summary>The largest page.</summary>
    public const int MaxLimit = 1000;

    /// <summary>Reads the query parameters; the error is a sentence for a 400 problem, and null when they are valid.</summary>
    public static (RunQuery? Query, string? Error) Parse(string? type, string? status, string? system, string? startedAfter, string? startedBefore, int? limit, string? after)
    {
        WorkflowExecutionStatus? statusFilter = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!Enum.TryParse<WorkflowExecutionStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(status, out _))
            {
                return (null, $"Unknown status '{status}'. Use one of: {string.Join(", ", Enum.GetNames<WorkflowExecutionStatus>())}.");
            }

            statusFilter = parsed;
        }

        if (limit is < 1 or > MaxLimit)
        {
            return (null, $"limit must be between 1 and {MaxLimit}, was {limit}.");
        }

        if (system is not null && string.IsNullOrWhiteSpace(system))
        {
            return (null, "system must not be blank; leave it out to list the runs of every system.");
        }

        if (after is not null && string.IsNullOrWhiteSpace(after))
        {
            return (null, "after must not be blank: it is the run id of the last run of the previous page.");
        }

        if (!TryTime(startedAfter, "startedAfter", out var from, out var error) || !TryTime(startedBefore, "startedBefore", out var to, out error))
        {
            return (null, error);
        }

        if (from is { } f && to is { } t && f >= t)
        {
            return (null, $"startedAfter ({startedAfter}) must be earlier than startedBefore ({startedBefore}).");
        }

        var query = new RunQuery(string.IsNullOrEmpty(type) ? null : type, statusFilter, string.IsNullOrEmpty(system) ? null : system.Trim(), from, to, limit ?? 100, after);
        return (query, null);
    }

    /// <summary>One page of runs, newest first, and the cursor of the next page (null when no run is left).</summary>
    public async Task<(IReadOnlyList<WorkflowExecutionSummary> Runs, string? Next)> RunAsync(WorkflowClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var runs = await client.ListAsync(
            new WorkflowListFilter(Type, Status, Limit + 1)
            {
                StartedAfter = StartedAfter,
                StartedBefore = StartedBefore,
                AfterRunId = After,
                Attribute = System is null ? null : new SearchAttribute(RunSystems.AttributeName, System),
            },
            cancellationToken);
        return runs.Count > Limit ? (runs.Take(Limit).ToList(), runs[Limit - 1].RunId) : (runs, null);
    }

    private static bool TryTime(string? text, string name, out DateTime? time, out string? error)
    {
        time = null;
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var parsed))
        {
            error = $"{name} '{text}' is not a time; use ISO 8601, e.g. 2026-11-22T06:00:00Z.";
            return false;
        }

        time = parsed.UtcDateTime;
        return true;
    }
}

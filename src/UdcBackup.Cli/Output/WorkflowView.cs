using Spectre.Console;
using UdcBackup.Server.Api.Contracts;
using UdcBackup.Server.Api.Runs;

namespace UdcBackup.Cli.Output;

/// <summary>Human views of workflows: the listing table and the detail page of one run.</summary>
internal static class WorkflowView
{
    private static string Line(string id, string type, string status, string started, string closed) =>
        $"{id,-36}  {type,-16}  {status,-14}  {started,-20}  {closed}".TrimEnd();

    public static void List(TextWriter writer, IReadOnlyList<WorkflowSummary> workflows)
    {
        var console = ConsoleView.For(writer);
        if (workflows.Count == 0)
        {
            console.WriteLine("no workflows");
            return;
        }

        var table = ConsoleView.Table("ID", "TYPE", "STATUS", "STARTED", "CLOSED");
        foreach (var w in workflows)
        {
            table.AddTextRow(w.WorkflowId, w.WorkflowType, ListedOutcome.Of(w.Status, w.Systems, w.SystemsNotOk), ConsoleView.Time(w.StartTime), ConsoleView.Time(w.CloseTime));
        }

        console.Write(table);
    }

    /// <summary>
    /// One page of a listing followed to its end (<c>--all</c>): plain lines in fixed columns, so
    /// rows line up across pages printed as they arrive (a longer value pushes its line only).
    /// </summary>
    public static void ListPage(TextWriter writer, IReadOnlyList<WorkflowSummary> workflows, bool header)
    {
        if (header)
        {
            writer.WriteLine(workflows.Count == 0 ? "no workflows" : Line("ID", "TYPE", "STATUS", "STARTED", "CLOSED"));
        }

        foreach (var w in workflows)
        {
            writer.WriteLine(Line(w.WorkflowId, w.WorkflowType, ListedOutcome.Of(w.Status, w.Systems, w.SystemsNotOk), ConsoleView.Time(w.StartTime), ConsoleView.Time(w.CloseTime)));
        }
    }

    public static void Details(TextWriter writer, WorkflowDetails w)
    {
        var console = ConsoleView.For(writer);
        var facts = new Grid().AddColumn().AddColumn();
        void Fact(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                facts.AddRow(new Text(name), new Text(value));
            }
        }

        Fact("Workflow", w.WorkflowId);
        Fact("Run", w.RunId);
        Fact("Type", w.WorkflowType);
        // A backup that continued past a failed system completes as a workflow; say so, as the lists do.
        var outcomes = SystemOutcomes.Of(w.Result);
        Fact("Status", ListedOutcome.Of(w.Status, outcomes?.Systems, outcomes?.NotOk));
        Fact("Started", ConsoleView.Time(w.StartTime));
        Fact("Closed", ConsoleView.Time(w.CloseTime));
        Fact("Parent", w.ParentWorkflowId);
        Fact("Input", JsonInput.Compact(w.Input));
        Fact("Result", JsonInput.Compact(w.Result));
        Fact("Failure", w.Failure?.Describe());
        console.Write(facts);

        console.WriteLine();
        if (w.PendingActivities.Count == 0)
        {
            console.WriteLine("Pending activities: none");
        }
        else
        {
            console.WriteLine("Pending activities:");
            var pending = ConsoleView.Table("ID", "ACTIVITY", "ATTEMPT", "SCHEDULED", "LAST STARTED", "NEXT ATTEMPT", "LAST HEARTBEAT", "LAST FAILURE");
            foreach (var a in w.PendingActivities)
            {
                pending.AddTextRow(
                    a.ActivityId.ToString(),
                    a.ActivityType,
                    a.Attempt.ToString(),
                    ConsoleView.Time(a.ScheduledTime),
                    ConsoleView.Time(a.LastStartedTime),
                    ConsoleView.Time(a.NextAttemptTime),
                    a.LastHeartbeatTime is null ? string.Empty : $"{ConsoleView.Time(a.LastHeartbeatTime)} {JsonInput.Compact(a.HeartbeatDetails)}",
                    a.LastFailure?.Describe());
            }

            console.Write(pending);
        }

        console.WriteLine();
        console.WriteLine($"History ({w.History.Count} events):");
        var history = ConsoleView.Table("EVENT", "TIME", "TYPE", "CMD", "DETAILS");
        foreach (var e in w.History)
        {
            history.AddTextRow(e.EventId.ToString(), ConsoleView.Time(e.Timestamp), e.EventType, e.CommandId?.ToString(), Summarize(e));
        }

        console.Write(history);
    }

    private static string Summarize(HistoryEntry e)
    {
        var parts = new List<string>();
        if (e.WorkflowType is not null)
        {
            parts.Add(e.WorkflowType);
        }

        if (e.ActivityType is not null)
        {
            parts.Add(e.ActivityType);
        }

        if (e.Attempt is not null)
        {
            parts.Add($"attempt {e.Attempt}");
        }

        if (e.SignalName is not null)
        {
            parts.Add($"signal {e.SignalName}");
        }

        if (e.MarkerName is not null)
        {
            parts.Add($"code patch {e.MarkerName}");
        }

        if (e.FireAt is not null)
        {
            parts.Add($"fires {ConsoleView.Time(e.FireAt)}");
        }

        if (e.Input is not null)
        {
            parts.Add($"input {JsonInput.Compact(e.Input)}");
        }

        if (e.Result is not null)
        {
            parts.Add($"result {JsonInput.Compact(e.Result)}");
        }

        if (e.Failure is not null)
        {
            parts.Add($"failure: {e.Failure.Describe()}");
        }

        if (e.Details is not null)
        {
            parts.Add(e.Details);
        }

        var text = string.Join("  ", parts);
        return text.Length > 160 ? text[..157] + "..." : text;
    }
}

using Spectre.Console;
using UdcBackup.Server.Api.Contracts;

namespace UdcBackup.Cli.Output;

/// <summary>Human views of schedules: the listing table and the detail page of one schedule.</summary>
internal static class ScheduleView
{
    public static void List(TextWriter writer, IReadOnlyList<ScheduleInfo> schedules)
    {
        var console = ConsoleView.For(writer);
        if (schedules.Count == 0)
        {
            console.WriteLine("no schedules");
            return;
        }

        var table = ConsoleView.Table("ID", "WORKFLOW", "SPEC", "OVERLAP", "STATE", "NEXT");
        foreach (var s in schedules)
        {
            table.AddTextRow(s.ScheduleId, s.WorkflowType, Spec(s), s.OverlapPolicy, State(s), ConsoleView.Time(s.NextFireTimes.Count > 0 ? s.NextFireTimes[0] : null));
        }

        console.Write(table);
    }

    public static void Details(TextWriter writer, ScheduleInfo s)
    {
        var console = ConsoleView.For(writer);
        var facts = new Grid().AddColumn().AddColumn();
        facts.AddRow(new Text("Schedule"), new Text(s.ScheduleId));
        facts.AddRow(new Text("Workflow"), new Text(s.WorkflowType));
        facts.AddRow(new Text("Input"), new Text(JsonInput.Compact(s.Input)));
        facts.AddRow(new Text("Spec"), new Text(Spec(s)));
        facts.AddRow(new Text("Time zone"), new Text(s.TimeZone));
        facts.AddRow(new Text("Overlap"), new Text(s.OverlapPolicy));
        facts.AddRow(new Text("Catch-up"), new Text(s.CatchupWindow.ToString()));
        facts.AddRow(new Text("State"), new Text(State(s)));
        facts.AddRow(new Text("Next"), new Text(string.Join(", ", s.NextFireTimes.Select(t => ConsoleView.Time(t)))));
        facts.AddRow(new Text("Running"), new Text(string.Join(", ", s.RunningWorkflowIds)));
        facts.AddRow(new Text("Buffered"), new Text(ConsoleView.Time(s.BufferedFireTime)));
        facts.AddRow(new Text("Created"), new Text(ConsoleView.Time(s.CreatedAt)));
        console.Write(facts);
        console.WriteLine();
        if (s.RecentActions.Count == 0)
        {
            console.WriteLine("Recent firings: none");
            return;
        }

        console.WriteLine("Recent firings:");
        var table = ConsoleView.Table("FIRE TIME", "HANDLED", "OUTCOME", "WORKFLOW ID", "MESSAGE");
        foreach (var a in s.RecentActions)
        {
            table.AddTextRow(ConsoleView.Time(a.ScheduledTime), ConsoleView.Time(a.ActualTime), a.Outcome, a.WorkflowId, a.Message);
        }

        console.Write(table);
    }

    private static string Spec(ScheduleInfo s) =>
        string.Join(" + ", s.CronExpressions.Select(c => $"cron {c}").Concat(s.Intervals.Select(i => $"every {i}")));

    private static string State(ScheduleInfo s) => s.Paused ? $"paused{(s.Note is { Length: > 0 } n ? $" ({n})" : string.Empty)}" : "active";
}

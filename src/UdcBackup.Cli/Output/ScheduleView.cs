using Spectre.Console;
using UdcBackup.Cli.Client;
using UdcBackup.Server.Api.Contracts;

namespace UdcBackup.Cli.Output;

/// <summary>
/// Human views of schedules: the listing table and the page of one schedule. The page is short on
/// purpose (what it starts, when, policy, state, next times, newest firings with their results);
/// the full document, including the workflow input, is what <c>--json</c> prints.
/// </summary>
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
            table.AddTextRow(s.ScheduleId, s.WorkflowType, Spec(s), s.OverlapPolicy, State(s), NextInList(s));
        }

        console.Write(table);
    }

    /// <summary>How many of the newest firings <c>schedule show</c> lists (the API keeps 20; <c>--json</c> has them all).</summary>
    public const int ShownFirings = 5;

    /// <summary>How many next fire times <c>schedule show</c> lists.</summary>
    public const int ShownNextTimes = 3;

    /// <summary>
    /// The page of one schedule: what it starts, when, its overlap policy and state, the next fire
    /// times (also in the schedule's time zone when that is not UTC), and the newest firings with
    /// the run each started and that run's result from <paramref name="results"/> (run id to text).
    /// </summary>
    public static void Details(TextWriter writer, ScheduleInfo s, IReadOnlyDictionary<string, string> results)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(results);
        var console = ConsoleView.For(writer);
        console.WriteLine($"schedule {s.ScheduleId}: {State(s)}");
        Fact(console, "starts", ScheduleTarget.Describe(s));
        Fact(console, "when", $"{Spec(s)}{(s.CronExpressions.Count > 0 ? $" ({s.TimeZone})" : string.Empty)}");
        Fact(console, "overlap", $"{s.OverlapPolicy}: {Overlap(s.OverlapPolicy)}");
        Fact(console, "catch-up", $"{Durations.Format(s.CatchupWindow)}: a firing missed while the controller was down still starts up to that late");
        if (!s.Paused && s.Note is { Length: > 0 } note)
        {
            Fact(console, "note", note);
        }

        Fact(console, "next", s.Paused ? "none while paused" : s.NextFireTimes.Count == 0 ? "never" : string.Join(", ", s.NextFireTimes.Take(ShownNextTimes).Select(t => NextTime(t, s.TimeZone))));
        if (s.RunningWorkflowIds.Count > 0)
        {
            Fact(console, "running", string.Join(", ", s.RunningWorkflowIds));
        }

        if (s.BufferedFireTime is { } buffered)
        {
            Fact(console, "buffered", $"{ConsoleView.Time(buffered)} (starts when the running run ends)");
        }

        if (s.RecentActions.Count == 0)
        {
            console.WriteLine("last firings: none yet");
            return;
        }

        var newest = s.RecentActions.Reverse().Take(ShownFirings).ToList();
        console.WriteLine(newest.Count < s.RecentActions.Count
            ? $"last firings (newest first, {newest.Count} of {s.RecentActions.Count}; --json lists all):"
            : "last firings (newest first):");
        var table = ConsoleView.Table("FIRE TIME", "OUTCOME", "RUN", "RESULT");
        foreach (var a in newest)
        {
            var result = a.WorkflowId is { } id && results.TryGetValue(id, out var text) ? text : a.Message;
            table.AddTextRow(ConsoleView.Time(a.ScheduledTime), a.Outcome, a.WorkflowId, result);
        }

        console.Write(table);
    }

    /// <summary>The run ids of the firings <see cref="Details"/> shows whose result is worth reading (those that started a run).</summary>
    public static IEnumerable<string> ShownRuns(ScheduleInfo s) =>
        s.RecentActions.Reverse().Take(ShownFirings).Where(a => a.Outcome == "Started" && a.WorkflowId is not null).Select(a => a.WorkflowId!);

    private static string Overlap(string policy) => policy switch
    {
        "Skip" => "a firing while its last run still runs is skipped",
        "BufferOne" => "a firing while its last run still runs starts when that run ends (one at most)",
        "AllowAll" => "every firing starts a run, even while others run",
        _ => "see the controller's documentation",
    };

    private static void Fact(IAnsiConsole console, string name, string value) => console.WriteLine($"  {name,-9} {value}");

    private static string NextTime(DateTime utc, string timeZone)
    {
        if (timeZone is "UTC" or "Etc/UTC")
        {
            return ConsoleView.Time(utc);
        }

        try
        {
            var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), TimeZoneInfo.FindSystemTimeZoneById(timeZone));
            return $"{ConsoleView.Time(utc)} ({local:yyyy-MM-dd HH:mm:ss} {timeZone})";
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            // The controller knows the zone; this host may not: UTC alone is still right.
            return ConsoleView.Time(utc);
        }
    }

    private static string Spec(ScheduleInfo s) =>
        string.Join(" + ", s.CronExpressions.Select(c => $"cron {c}").Concat(s.Intervals.Select(i => $"every {Durations.Format(i)}")));

    // The controller still computes a paused schedule's next times (for when it is unpaused); a
    // time in the list's NEXT column read as "it fires then", which it does not.
    private static string NextInList(ScheduleInfo s) =>
        s.Paused ? "none while paused" : ConsoleView.Time(s.NextFireTimes.Count > 0 ? s.NextFireTimes[0] : null);

    private static string State(ScheduleInfo s) => s.Paused ? $"paused{(s.Note is { Length: > 0 } n ? $" ({n})" : string.Empty)}" : "active";
}

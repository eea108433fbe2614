using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;
using UdcBackup.Server.Site;

namespace UdcBackup.Cli.Output;

/// <summary>
/// Human views of backup and restore runs: the <c>udc jobs list</c> table, the page of one run
/// (a header, a progress bar for the run, one row per system with its bar, state, step, bytes,
/// files, rate, snapshot; errors and warnings under their row; for a restore, what was written and
/// what was already correct), and the one-line form
/// <c>udc jobs show --follow</c> prints when a row changes. Everything is plain text: the same
/// renderable is drawn live on a terminal and once when piped.
/// </summary>
internal static class JobView
{
    private const int BarWidth = 20;

    public static void List(TextWriter writer, IReadOnlyList<JobSummary> jobs)
    {
        var console = ConsoleView.For(writer);
        if (jobs.Count == 0)
        {
            console.WriteLine("no backup or restore runs yet (udc backup start JOB, or wait for a schedule)");
            return;
        }

        var table = ConsoleView.Table("ID", "TYPE", "STATUS", "STARTED", "DURATION");
        foreach (var job in jobs)
        {
            table.AddTextRow(job.Id, job.WorkflowType, ListedOutcome.Of(job.Status, job.Systems, job.SystemsNotOk), ConsoleView.Time(job.StartTime), Duration(job.StartTime, job.CloseTime));
        }

        console.Write(table);
    }

    /// <summary>Writes the page of one run once (the form for pipes and files).</summary>
    public static void Details(TextWriter writer, JobReading job, JobRates? rates = null) =>
        ConsoleView.For(writer).Write(Render(job, rates, unicode: false));

    /// <summary>The page of one run; <paramref name="unicode"/> draws bars with block characters (terminals).</summary>
    public static IRenderable Render(JobReading job, JobRates? rates, bool unicode)
    {
        ArgumentNullException.ThrowIfNull(job);
        var closed = job.CloseTime is { } c ? $", closed {ConsoleView.Time(c)}" : string.Empty;
        var header = new List<IRenderable>
        {
            new Text($"{job.Id} ({job.Type}): {job.Outcome}, started {ConsoleView.Time(job.StartTime)}{closed}, {Duration(job.StartTime, job.CloseTime)}"),
            new Text($"{Bar(job.Done, unicode)} {job.Done * 100,3:0}%  {job.Phase ?? string.Empty}"),
        };

        var table = ConsoleView.Table("SYSTEM", "PROGRESS", "STATE", "STEP", "LEVEL", "BYTES", "FILES", "RATE", "SNAPSHOT");
        foreach (var row in job.Rows)
        {
            var rate = row.State == "Running" ? rates?.Of(row.System) : null;
            table.AddTextRow(
                row.System,
                Bar(row.Done, unicode),
                row.State,
                row.Step,
                row.Level,
                Size(row.Bytes),
                row.Files.ToString("N0", CultureInfo.InvariantCulture),
                rate is { } r ? $"{Size((long)r)}/s" : string.Empty,
                Short(row.SnapshotId));
        }

        var parts = new List<IRenderable>(header) { table };
        foreach (var row in job.Rows)
        {
            if (row.Error is not null && job.Type != "restore")
            {
                parts.Add(new Text($"  {row.System}: error: {row.Error}"));
            }

            if (row.Note is not null)
            {
                parts.Add(new Text($"  {row.System}: {(job.Type == "restore" ? string.Empty : "warning: ")}{row.Note}"));
            }

            // A restore onto a system that already holds the snapshot writes nothing: say why the columns read 0.
            if (job.Type == "restore" && row.State != "Running")
            {
                parts.Add(new Text($"  {row.System}: {RestoreSummary.Text(row.Bytes, row.Files, row.AlreadyCorrectFiles, row.AlreadyCorrectBytes)}"));
            }
        }

        if (job.Failure is not null)
        {
            parts.Add(new Text($"  failure: {job.Failure}"));
        }

        return new Rows(parts);
    }

    /// <summary>One line per row for <c>--follow</c> output: time, system, state, step and what moved.</summary>
    public static string Line(JobRow row, DateTime at, double? rate) =>
        string.Create(CultureInfo.InvariantCulture, $"{at:HH:mm:ss} {row.System,-20} {row.State,-10} {row.Step ?? string.Empty,-24} {Size(row.Bytes),10} {row.Files,8:N0} files{RestoreSummary.AlreadyCorrect(row.AlreadyCorrectFiles, row.AlreadyCorrectBytes)}{(rate is { } r ? $" {Size((long)r)}/s" : string.Empty)}{(row.SnapshotId is { } s ? $" snapshot {Short(s)}" : string.Empty)}{(row.Error is { } e ? $" error: {e}" : string.Empty)}");

    /// <summary>A fixed-width bar: block characters on a terminal, '#' and '.' elsewhere.</summary>
    public static string Bar(double done, bool unicode)
    {
        var filled = (int)Math.Round(Math.Clamp(done, 0, 1) * BarWidth);
        return unicode
            ? new string('█', filled) + new string('░', BarWidth - filled)
            : "[" + new string('#', filled) + new string('.', BarWidth - filled) + "]";
    }

    /// <summary>Bytes in binary units with one decimal (B, KiB, MiB, GiB, TiB).</summary>
    public static string Size(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {units[unit]}");
    }

    private static string Duration(DateTime start, DateTime? close)
    {
        var span = (close?.ToUniversalTime() ?? DateTime.UtcNow) - start.ToUniversalTime();
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        return span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h{span.Minutes:00}m")
            : string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}m{span.Seconds:00}s");
    }

    private static string Short(string? snapshotId) => snapshotId is null ? string.Empty : snapshotId[..Math.Min(12, snapshotId.Length)];
}

using Spectre.Console;
using Spectre.Console.Rendering;

namespace UdcBackup.Cli.Commands;

/// <summary>
/// The live progress line of long archive commands (files, bytes, rate, ETA), drawn on stderr
/// only when it is an interactive terminal; the work runs regardless and is awaited either way.
/// Counters are polled ten times a second, so the work itself never waits for the display.
/// </summary>
internal static class ArchiveProgress
{
    public readonly record struct Sample(long FilesDone, long FilesTotal, long BytesDone, long BytesTotal);

    /// <summary>Shows files and bytes (backup, restore).</summary>
    public static Task<T> RunAsync<T>(ArchiveContext context, string verb, Func<Sample> poll, Func<Task<T>> start) =>
        RunAsync(context, verb, "files", countsBytes: true, poll, start);

    /// <summary>
    /// Shows a count of items of one kind and no bytes (verify and repair walk packs): their
    /// counters are not sizes, so the byte and rate columns would print pack counts as "B".
    /// </summary>
    public static Task<T> RunCountingAsync<T>(ArchiveContext context, string verb, string noun, Func<(long Done, long Total)> poll, Func<Task<T>> start) =>
        RunAsync(context, verb, noun, countsBytes: false, () => poll() is var (done, total) ? new Sample(done, total, done, total) : default, start);

    private static async Task<T> RunAsync<T>(ArchiveContext context, string verb, string noun, bool countsBytes, Func<Sample> poll, Func<Task<T>> start)
    {
        var work = start();
        if (!context.ShowProgress)
        {
            return await work;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        ProgressColumn[] columns = countsBytes
            ? [new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new BytesDoneColumn(), new RateColumn(), new RemainingTimeColumn()]
            : [new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn()];
        await console.Progress()
            .AutoClear(true)
            .Columns(columns)
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(verb, maxValue: 1);
                while (!work.IsCompleted)
                {
                    Update(task, verb, noun, poll());
                    await Task.Delay(100); // short, so the display ends soon after the work
                }

                Update(task, verb, noun, poll());
            });
        return await work;
    }

    // Spectre's own byte columns (DownloadedColumn, TransferSpeedColumn) count in powers of 1000
    // (MB); the summary after the display and every other size the archive commands print are
    // binary (KiB, MiB, GiB), so the display counts in those too.
    private sealed class BytesDoneColumn : ProgressColumn
    {
        protected override bool NoWrap => true;

        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text($"{ArchiveFormat.Bytes((long)task.Value)}/{ArchiveFormat.Bytes((long)task.MaxValue)}");
    }

    private sealed class RateColumn : ProgressColumn
    {
        protected override bool NoWrap => true;

        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(task.Speed is { } bytesPerSecond ? $"{ArchiveFormat.Bytes((long)bytesPerSecond)}/s" : "?");
    }

    private static void Update(ProgressTask task, string verb, string noun, Sample sample)
    {
        task.MaxValue = Math.Max(1, sample.BytesTotal);
        task.Value = Math.Min(sample.BytesDone, task.MaxValue);
        task.Description = $"{verb} {sample.FilesDone}/{sample.FilesTotal} {noun}";
    }
}

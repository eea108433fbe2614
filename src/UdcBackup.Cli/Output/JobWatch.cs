using System.Text.Json;
using Spectre.Console;
using UdcBackup.Server.Site;
using static UdcBackup.Cli.Client.ControllerClient;

namespace UdcBackup.Cli.Output;

/// <summary>
/// Follows one run until it ends, polling <c>GET /api/jobs/{id}</c>:
/// on a terminal the page of the run is redrawn in place twice a second (bars, bytes, files,
/// rate per system) and stays on screen when the run ends; elsewhere (<c>--follow</c> into a pipe
/// or file) one plain line is written per system whenever its state, step or snapshot changes,
/// and at most every <see cref="PlainProgressEvery"/> while its bytes grow, then the final page.
/// Ctrl-C stops following (the run itself goes on). A failed poll is not retried here: the
/// caller's error handling reports the controller as unreachable.
/// </summary>
internal static class JobWatch
{
    public static readonly TimeSpan TerminalRefresh = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan PlainPoll = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan PlainProgressEvery = TimeSpan.FromSeconds(10);

    /// <summary>True when <paramref name="writer"/> is this process's stdout and that is a terminal.</summary>
    public static bool IsTerminal(TextWriter writer) => writer == Console.Out && !Console.IsOutputRedirected;

    /// <summary>Redraws the run on the terminal until it ends; returns the last reading.</summary>
    public static async Task<JobReading> LiveAsync(Func<CancellationToken, Task<JobReading>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        var rates = new JobRates();
        var job = await read(cancellationToken);
        rates.Add(job, DateTime.UtcNow);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        await console.Live(JobView.Render(job, rates, unicode: true))
            .AutoClear(false)
            .Overflow(VerticalOverflow.Ellipsis)
            .StartAsync(async live =>
            {
                while (job.IsRunning && !cancellationToken.IsCancellationRequested)
                {
                    try
                    {
                        await Task.Delay(TerminalRefresh, cancellationToken);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }

                    job = await read(cancellationToken);
                    rates.Add(job, DateTime.UtcNow);
                    live.UpdateTarget(JobView.Render(job, rates, unicode: true));
                }
            });
        return job;
    }

    /// <summary>Writes change lines until the run ends, then its page; returns the last reading.</summary>
    public static async Task<JobReading> PlainAsync(TextWriter output, Func<CancellationToken, Task<JobReading>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(read);
        var rates = new JobRates();
        var shown = new Dictionary<string, (JobRow Row, DateTime At)>(StringComparer.Ordinal);
        var job = await read(cancellationToken);
        while (true)
        {
            var now = DateTime.UtcNow;
            rates.Add(job, now);
            foreach (var row in job.Rows)
            {
                var changed = !shown.TryGetValue(row.System, out var last)
                    || last.Row.State != row.State || last.Row.Step != row.Step || last.Row.SnapshotId != row.SnapshotId || last.Row.Error != row.Error
                    || (last.Row.Bytes != row.Bytes && now - last.At >= PlainProgressEvery);
                if (changed)
                {
                    await output.WriteLineAsync(JobView.Line(row, now, row.State == "Running" ? rates.Of(row.System) : null));
                    shown[row.System] = (row, now);
                }
            }

            await output.FlushAsync(cancellationToken);
            if (!job.IsRunning)
            {
                break;
            }

            await Task.Delay(PlainPoll, cancellationToken);
            job = await read(cancellationToken);
        }

        await output.WriteLineAsync();
        JobView.Details(output, job, rates);
        return job;
    }

    /// <summary>A reader of one run through the controller client.</summary>
    public static Func<CancellationToken, Task<JobReading>> Reader(Client.ControllerClient client, string id) =>
        async cancellationToken => JobReading.From(JsonSerializer.Deserialize<JobDetails>(
            await client.GetAsync($"api/jobs/{Uri.EscapeDataString(id)}", cancellationToken), JsonOptions)!);
}

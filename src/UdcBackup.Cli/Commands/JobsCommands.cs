using System.CommandLine;
using System.Text.Json;
using UdcBackup.Cli.Client;
using UdcBackup.Cli.Output;
using UdcBackup.Server.Site;
using static UdcBackup.Cli.Client.ControllerClient;

namespace UdcBackup.Cli.Commands;

/// <summary>
/// <c>udc jobs list</c> and <c>udc jobs show ID</c>: backup and restore runs with their
/// per-system progress (the workflow's <c>progress</c> query while running, its result after),
/// the live totals of a running stream, and the failure of a failed run.
/// <c>show</c> on a terminal follows a running run with progress bars until it ends (Ctrl-C
/// stops following, not the run); into a pipe it prints the page once, or with <c>--follow</c>
/// one line per change until the run ends. <c>--json</c> always prints the API's answer once.
/// Exit code of a followed <c>show</c>: 0 when the run completed with every system succeeded (or
/// following was interrupted while it still ran), 1 otherwise, so scripts can wait for a run.
/// </summary>
internal static class JobsCommands
{
    public static Command Create()
    {
        var options = new ClientOptions();
        var group = new Command("jobs", "List and inspect backup and restore runs.");
        options.AddTo(group);
        var limit = new Option<int>("--limit") { Description = "How many runs to list (newest first).", DefaultValueFactory = _ => 30, HelpName = "N" };
        var list = new Command("list", "Backup and restore runs, newest first.") { limit };
        list.SetAction(ClientAction.Create(options, async c =>
        {
            var n = c.Parse.GetValue(limit);
            if (n is < 1 or > 1000)
            {
                throw new Client.CliUsageException("--limit must be between 1 and 1000.");
            }

            var answer = await c.Client.GetAsync($"api/jobs?limit={n}", c.CancellationToken);
            if (c.Json)
            {
                await c.Output.WriteLineAsync(answer);
                return CliApp.Success;
            }

            JobView.List(c.Output, JsonSerializer.Deserialize<List<JobSummary>>(answer, JsonOptions)!);
            return CliApp.Success;
        }));

        var id = new Argument<string>("ID") { Description = "Run id (from udc jobs list)." };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep following the run until it ends (the default on a terminal); plain lines when piped." };
        var once = new Option<bool>("--once") { Description = "Print the run's state once, even on a terminal." };
        var show = new Command("show", "One run: each system's progress (bytes, files, rate), step, snapshot and failures; live on a terminal.") { id, follow, once };
        show.SetAction(ClientAction.Create(options, async c =>
        {
            var runId = c.Parse.GetValue(id)!;
            if (c.Json)
            {
                await c.Output.WriteLineAsync(await c.Client.GetAsync($"api/jobs/{Uri.EscapeDataString(runId)}", c.CancellationToken));
                return CliApp.Success;
            }

            var read = JobWatch.Reader(c.Client, runId);
            var terminal = JobWatch.IsTerminal(c.Output);
            if (c.Parse.GetValue(once) || (!terminal && !c.Parse.GetValue(follow)))
            {
                JobView.Details(c.Output, await read(c.CancellationToken));
                return CliApp.Success;
            }

            var seen = false;
            async Task<JobReading> Followed(CancellationToken cancellationToken)
            {
                var reading = await read(cancellationToken);
                seen = true;
                return reading;
            }

            try
            {
                var last = terminal
                    ? await JobWatch.LiveAsync(Followed, c.CancellationToken)
                    : await JobWatch.PlainAsync(c.Output, Followed, c.CancellationToken);
                return last.IsRunning || last.Succeeded ? CliApp.Success : CliApp.Failure;
            }
            catch (ControllerUnreachableException e) when (seen)
            {
                // A controller stopped or restarted under a followed run: the run is not lost, and
                // "is udc server running there?" alone read as if it were.
                throw e.WhileFollowing(runId);
            }
        }));
        group.Subcommands.Add(list);
        group.Subcommands.Add(show);
        return group;
    }
}

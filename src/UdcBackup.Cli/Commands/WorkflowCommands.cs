using System.CommandLine;
using System.Text.Json;
using UdcBackup.Cli.Client;
using UdcBackup.Cli.Output;
using UdcBackup.Server.Api.Contracts;
using UdcBackup.Server.Site;
using static UdcBackup.Cli.Client.ControllerClient;

namespace UdcBackup.Cli.Commands;

/// <summary>
/// <c>udc workflow start|show|list|signal|cancel</c>: operator access to durable workflow runs
/// through the controller's HTTP API (<c>/api/workflows</c>). Human tables by default; with
/// <c>--json</c> the API's answer is printed as it came.
/// </summary>
internal static class WorkflowCommands
{
    public static Command Create()
    {
        var options = new ClientOptions();
        var group = new Command("workflow", "Start, inspect, signal and cancel durable workflow runs on the controller.");
        options.AddTo(group);
        group.Subcommands.Add(Start(options));
        group.Subcommands.Add(Show(options));
        group.Subcommands.Add(List(options));
        group.Subcommands.Add(Signal(options));
        group.Subcommands.Add(Cancel(options));
        return group;
    }

    private static Command Start(ClientOptions options)
    {
        var type = new Argument<string>("TYPE") { Description = "Workflow type, e.g. diag.steps." };
        var input = new Option<string?>("--input") { Description = "The workflow's input as JSON.", HelpName = "JSON" };
        var id = new Option<string?>("--id") { Description = "Workflow id (default: a new one).", HelpName = "ID" };
        var command = new Command("start", "Start a workflow run; prints its workflow id (and, on stderr, the earlier run of a reused --id).") { type, input, id };
        command.SetAction(ClientAction.Create(options, async c =>
        {
            var request = new StartWorkflowRequest(c.Parse.GetValue(type), JsonInput.Parse(c.Parse.GetValue(input), "--input"), c.Parse.GetValue(id));
            var answer = await c.Client.PostAsync("api/workflows", request, c.CancellationToken);
            var started = JsonSerializer.Deserialize<WorkflowStarted>(answer, JsonOptions)!;
            await c.Output.WriteLineAsync(c.Json ? answer : started.WorkflowId);
            if (started.PreviousRun is { } earlier)
            {
                // Standard output stays the id (or the answer, which carries previousRun too).
                var closed = earlier.CloseTime is { } at ? $", closed {at:yyyy-MM-dd HH:mm:ss}Z" : string.Empty;
                await c.Error.WriteLineAsync($"note: workflow id '{started.WorkflowId}' had an earlier run {earlier.RunId} ({earlier.WorkflowType}, {earlier.Status}{closed}); this is a new run {started.RunId} of it");
            }

            return CliApp.Success;
        }));
        return command;
    }

    private static Command Show(ClientOptions options)
    {
        var id = new Argument<string>("ID") { Description = "Workflow id." };
        var command = new Command("show", "Show a run: status, result or failure, pending activities with attempts and last failures, full history.") { id };
        command.SetAction(ClientAction.Create(options, async c =>
        {
            var answer = await c.Client.GetAsync($"api/workflows/{Uri.EscapeDataString(c.Parse.GetValue(id)!)}", c.CancellationToken);
            if (c.Json)
            {
                await c.Output.WriteLineAsync(answer);
            }
            else
            {
                WorkflowView.Details(c.Output, JsonSerializer.Deserialize<WorkflowDetails>(answer, JsonOptions)!);
            }

            return CliApp.Success;
        }));
        return command;
    }

    private static Command List(ClientOptions options)
    {
        var type = new Option<string?>("--type") { Description = "Only runs of this workflow type (one the controller knows, e.g. backup.job, restore, flow, diag.steps).", HelpName = "TYPE" };
        var status = new Option<string?>("--status") { Description = "Only runs in this status: Running, Completed, Failed, Canceled, ContinuedAsNew.", HelpName = "STATUS" };
        var limit = new Option<int>("--limit") { Description = "At most this many runs, newest first.", DefaultValueFactory = _ => 100 };
        var system = new Option<string?>("--system") { Description = "Only runs that concern this system (read from the run's input as started).", HelpName = "ID" };
        var since = new Option<string?>("--since") { Description = "Only runs started at or after this: a duration back from now (24h, 7d) or an ISO 8601 time (UTC without offset).", HelpName = "WHEN" };
        var until = new Option<string?>("--until") { Description = "Only runs started before this: a duration back from now or an ISO 8601 time.", HelpName = "WHEN" };
        var afterRun = new Option<string?>("--after") { Description = "Continue after this run id (the last run of the previous page).", HelpName = "RUN_ID" };
        var all = new Option<bool>("--all") { Description = "Every page to the end, printed as each page arrives (--limit is then the page size); with --json one run per line (NDJSON)." };
        var command = new Command("list", "List workflow runs, newest first, one page (--limit) unless --all.") { type, status, system, since, until, limit, afterRun, all };
        command.SetAction(ClientAction.Create(options, async c =>
        {
            var now = DateTimeOffset.UtcNow;
            var query = new List<string> { $"limit={c.Parse.GetValue(limit)}" };
            if (c.Parse.GetValue(system) is { } id)
            {
                query.Add(string.IsNullOrWhiteSpace(id) ? throw new CliUsageException("--system: give a system id.") : $"system={Uri.EscapeDataString(id)}");
            }

            var after = TimeBounds.Parse(c.Parse.GetValue(since), "--since", now);
            var before = TimeBounds.Parse(c.Parse.GetValue(until), "--until", now);
            if (after is not null && before is not null && string.CompareOrdinal(after, before) >= 0)
            {
                // The controller would refuse it too, naming its own query fields.
                throw new CliUsageException($"--since ({c.Parse.GetValue(since)}, {after}) must be earlier than --until ({c.Parse.GetValue(until)}, {before}).");
            }

            if (after is not null)
            {
                query.Add($"startedAfter={Uri.EscapeDataString(after)}");
            }

            if (before is not null)
            {
                query.Add($"startedBefore={Uri.EscapeDataString(before)}");
            }

            if (c.Parse.GetValue(type) is { } t)
            {
                await CheckTypeAsync(c, t);
                query.Add($"type={Uri.EscapeDataString(t)}");
            }

            if (c.Parse.GetValue(status) is { } s)
            {
                query.Add($"status={Uri.EscapeDataString(s)}");
            }

            if (c.Parse.GetValue(afterRun) is { } cursor)
            {
                query.Add(string.IsNullOrWhiteSpace(cursor) ? throw new CliUsageException("--after: give the run id of the last run of the previous page.") : $"after={Uri.EscapeDataString(cursor)}");
            }

            var path = $"api/workflows?{string.Join('&', query)}";
            return c.Parse.GetValue(all) ? await ListAllAsync(c, path) : await ListPageAsync(c, path);
        }));
        return command;
    }

    // The listing filters by any text, so a mistyped type read as "no workflows" (exit 0); only
    // types the controller runs can have runs, so anything else is bad input naming the known ones.
    private static async Task CheckTypeAsync(ClientContext c, string type)
    {
        var known = JsonSerializer.Deserialize<List<string>>(await c.Client.GetAsync("api/workflow-types", c.CancellationToken), JsonOptions)!;
        if (!known.Contains(type, StringComparer.Ordinal))
        {
            throw new CliUsageException($"--type: '{type}' is not a workflow type of this controller. Known types: {string.Join(", ", known)}.");
        }
    }

    // One page as the API gave it; when more follow, a hint on standard error (standard output stays
    // the table or the JSON array) names the cursor to pass as --after.
    private static async Task<int> ListPageAsync(ClientContext c, string path)
    {
        var (answer, next) = await c.Client.GetPageAsync(path, c.CancellationToken);
        var runs = JsonSerializer.Deserialize<List<WorkflowSummary>>(answer, JsonOptions)!;
        if (c.Json)
        {
            await c.Output.WriteLineAsync(answer);
        }
        else
        {
            WorkflowView.List(c.Output, runs);
        }

        if (next is not null && runs.Count > 0)
        {
            await c.Error.WriteLineAsync($"more runs follow: add --after {runs[^1].RunId} for the next page, or --all for every page");
        }

        // The controller reads an unknown cursor as "nothing after it"; the likely slip is a
        // workflow id from the table's ID column, which is not the run id the cursor needs.
        if (runs.Count == 0 && c.Parse.GetValue<string?>("--after") is { } cursor)
        {
            await c.Error.WriteLineAsync($"no runs after '{cursor}': --after takes the run id the previous page's last line names (not a workflow id), and an unknown one lists nothing");
        }

        // Runs of a system taken out of the site are still listed by its id, so an id the site
        // lacks is not refused; but when nothing matches, the likely cause is a typo: say so.
        if (runs.Count == 0 && c.Parse.GetValue<string?>("--system") is { Length: > 0 } system)
        {
            var systems = JsonSerializer.Deserialize<List<SystemInfo>>(await c.Client.GetAsync("api/systems", c.CancellationToken), JsonOptions) ?? [];
            if (systems.Count > 0 && !systems.Any(s => s.Id == system))
            {
                await c.Error.WriteLineAsync($"no runs concern '{system}', which is not a system of the applied site (systems: {string.Join(", ", systems.Select(s => s.Id))})");
            }
        }

        return CliApp.Success;
    }

    // Follows the API's next links to the end, writing each page as it arrives: NDJSON with --json
    // (one run a line, so a consumer streams too), else a table per page under one header.
    private static async Task<int> ListAllAsync(ClientContext c, string path)
    {
        string? next = path;
        var pages = 0;
        while (next is not null)
        {
            var (answer, link) = await c.Client.GetPageAsync(next, c.CancellationToken);
            if (c.Json)
            {
                using var document = JsonDocument.Parse(answer);
                foreach (var run in document.RootElement.EnumerateArray())
                {
                    await c.Output.WriteLineAsync(run.GetRawText());
                }
            }
            else
            {
                var runs = JsonSerializer.Deserialize<List<WorkflowSummary>>(answer, JsonOptions)!;
                if (runs.Count > 0 || pages == 0)
                {
                    WorkflowView.ListPage(c.Output, runs, header: pages == 0);
                }
            }

            await c.Output.FlushAsync(c.CancellationToken);
            pages++;
            next = link;
        }

        return CliApp.Success;
    }

    private static Command Signal(ClientOptions options)
    {
        var id = new Argument<string>("ID") { Description = "Workflow id." };
        var name = new Argument<string>("NAME") { Description = "Signal name." };
        var input = new Option<string?>("--input") { Description = "The signal's argument as JSON.", HelpName = "JSON" };
        var command = new Command("signal", "Send a signal to a running workflow (recorded durably before it is delivered).") { id, name, input };
        command.SetAction(ClientAction.Create(options, async c =>
        {
            var request = new SignalRequest(JsonInput.Parse(c.Parse.GetValue(input), "--input"));
            var path = $"api/workflows/{Uri.EscapeDataString(c.Parse.GetValue(id)!)}/signals/{Uri.EscapeDataString(c.Parse.GetValue(name)!)}";
            var answer = await c.Client.PostAsync(path, request, c.CancellationToken);
            await c.Output.WriteLineAsync(c.Json ? answer : $"signal {c.Parse.GetValue(name)} sent to {c.Parse.GetValue(id)}");
            return CliApp.Success;
        }));
        return command;
    }

    private static Command Cancel(ClientOptions options)
    {
        var id = new Argument<string>("ID") { Description = "Workflow id." };
        var reason = new Option<string?>("--reason") { Description = "Why, recorded in the history.", HelpName = "TEXT" };
        var command = new Command("cancel", "Request cancellation of a running workflow; its cleanup (finally) steps still run.") { id, reason };
        command.SetAction(ClientAction.Create(options, async c =>
        {
            var path = $"api/workflows/{Uri.EscapeDataString(c.Parse.GetValue(id)!)}/cancel";
            var answer = await c.Client.PostAsync(path, new CancelRequest(c.Parse.GetValue(reason)), c.CancellationToken);
            var recorded = JsonSerializer.Deserialize<CancelAccepted>(answer, JsonOptions);
            await c.Output.WriteLineAsync(c.Json ? answer
                : recorded is { AlreadyRequested: true } ? $"{c.Parse.GetValue(id)}: {recorded.What}"
                : $"cancellation requested for {c.Parse.GetValue(id)}");
            return CliApp.Success;
        }));
        return command;
    }
}

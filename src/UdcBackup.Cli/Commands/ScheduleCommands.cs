using System.CommandLine;
using System.Text.Json;
using UdcBackup.Cli.Client;
using UdcBackup.Cli.Output;
using UdcBackup.Server.Api.Contracts;
using static UdcBackup.Cli.Client.ControllerClient;

namespace UdcBackup.Cli.Commands;

/// <summary>
/// <c>udc schedule create|update|list|show|pause|unpause|trigger|delete</c>: schedules that start a
/// workflow on a cron expression or a fixed interval, through <c>/api/schedules</c>.
/// </summary>
internal static class ScheduleCommands
{
    public static Command Create()
    {
        var options = new ClientOptions();
        var group = new Command("schedule", "Create and manage schedules that start workflows on a cron expression or an interval.");
        options.AddTo(group);
        group.Subcommands.Add(CreateCommand(options));
        group.Subcommands.Add(UpdateCommand(options));
        group.Subcommands.Add(ListCommand(options));
        group.Subcommands.Add(ShowCommand(options));
        group.Subcommands.Add(NoteCommand(options, "pause", "Pause a schedule: no firing starts a run until it is unpaused."));
        group.Subcommands.Add(NoteCommand(options, "unpause", "Resume a paused schedule."));
        group.Subcommands.Add(TriggerCommand(options));
        group.Subcommands.Add(DeleteCommand(options));
        return group;
    }

    private static Command CreateCommand(ClientOptions options) =>
        DefinitionCommand(options, "create", "Create a schedule.", update: false);

    private static Command UpdateCommand(ClientOptions options) =>
        DefinitionCommand(
            options,
            "update",
            "Replace a schedule's spec, workflow, input and policy; its recent runs, running workflows and pause state are kept, and past fire times of the new spec are not caught up.",
            update: true);

    /// <summary>Create and update take the same definition; pause state and note belong to create only (update keeps them).</summary>
    private static Command DefinitionCommand(ClientOptions options, string verb, string description, bool update)
    {
        var id = new Argument<string>("ID") { Description = "Schedule id; started runs are named ID plus the fire time." };
        var type = new Option<string>("--type") { Description = "Workflow type to start.", Required = true, HelpName = "TYPE" };
        var input = new Option<string?>("--input") { Description = "Input of every started run, as JSON.", HelpName = "JSON" };
        var cron = new Option<string?>("--cron") { Description = "Cron expression, e.g. \"0 2 * * *\" (5 fields, or 6 with seconds first).", HelpName = "EXPR" };
        var every = new Option<string?>("--every") { Description = "Fixed interval instead of cron, e.g. 15m, 6h, 1d.", HelpName = "DURATION" };
        var timeZone = new Option<string?>("--time-zone") { Description = "IANA time zone of the cron expression (default UTC).", HelpName = "TZ" };
        var overlap = new Option<string?>("--overlap") { Description = "While the previous run still runs: Skip (default), BufferOne or AllowAll.", HelpName = "POLICY" };
        var catchup = new Option<string?>("--catchup-window") { Description = "How late a firing missed while the controller was down may still start (default 1h).", HelpName = "DURATION" };
        var paused = new Option<bool>("--paused") { Description = "Create it paused." };
        var note = new Option<string?>("--note") { Description = "A note, e.g. why it starts paused.", HelpName = "TEXT" };
        var command = new Command(verb, description) { id, type, input, cron, every, timeZone, overlap, catchup };
        if (!update)
        {
            command.Options.Add(paused);
            command.Options.Add(note);
        }

        command.SetAction(ClientAction.Create(options, async c =>
        {
            if ((c.Parse.GetValue(cron) is null) == (c.Parse.GetValue(every) is null))
            {
                throw new CliUsageException("give exactly one of --cron and --every.");
            }

            var scheduleId = c.Parse.GetValue(id)!;
            var request = new CreateScheduleRequest(
                scheduleId,
                c.Parse.GetValue(type),
                JsonInput.Parse(c.Parse.GetValue(input), "--input"),
                c.Parse.GetValue(cron),
                Durations.Parse(c.Parse.GetValue(every), "--every"),
                c.Parse.GetValue(timeZone),
                c.Parse.GetValue(overlap),
                Durations.Parse(c.Parse.GetValue(catchup), "--catchup-window"),
                !update && c.Parse.GetValue(paused),
                update ? null : c.Parse.GetValue(note));
            var answer = update
                ? await c.Client.PutAsync(Path(scheduleId), request, c.CancellationToken)
                : await c.Client.PostAsync("api/schedules", request, c.CancellationToken);
            await c.Output.WriteLineAsync(c.Json ? answer : JsonSerializer.Deserialize<ScheduleInfo>(answer, JsonOptions)!.ScheduleId);
            return CliApp.Success;
        }));
        return command;
    }

    private static Command ListCommand(ClientOptions options)
    {
        var command = new Command("list", "List schedules.");
        command.SetAction(ClientAction.Create(options, async c =>
        {
            var answer = await c.Client.GetAsync("api/schedules", c.CancellationToken);
            if (c.Json)
            {
                await c.Output.WriteLineAsync(answer);
            }
            else
            {
                ScheduleView.List(c.Output, JsonSerializer.Deserialize<List<ScheduleInfo>>(answer, JsonOptions)!);
            }

            return CliApp.Success;
        }));
        return command;
    }

    private static Command ShowCommand(ClientOptions options)
    {
        var id = new Argument<string>("ID") { Description = "Schedule id." };
        var command = new Command(
            "show",
            $"Show a schedule: what it starts, spec and time zone, overlap policy, paused or not, the next {ScheduleView.ShownNextTimes} fire times and the last {ScheduleView.ShownFirings} firings with their runs' results. --json prints the whole document (input included).")
        {
            id,
        };
        command.SetAction(ClientAction.Create(options, async c =>
        {
            var answer = await c.Client.GetAsync(Path(c.Parse.GetValue(id)!), c.CancellationToken);
            if (c.Json)
            {
                await c.Output.WriteLineAsync(answer);
                return CliApp.Success;
            }

            var schedule = JsonSerializer.Deserialize<ScheduleInfo>(answer, JsonOptions)!;
            var results = await ScheduleRunResults.ReadAsync(c.Client, schedule.WorkflowType, ScheduleView.ShownRuns(schedule), c.CancellationToken);
            ScheduleView.Details(c.Output, schedule, results);
            return CliApp.Success;
        }));
        return command;
    }

    private static Command NoteCommand(ClientOptions options, string verb, string description)
    {
        var id = new Argument<string>("ID") { Description = "Schedule id." };
        var note = new Option<string?>("--note") { Description = "Why; shown by `schedule show`.", HelpName = "TEXT" };
        var command = new Command(verb, description) { id, note };
        command.SetAction(ClientAction.Create(options, async c =>
        {
            var answer = await c.Client.PostAsync($"{Path(c.Parse.GetValue(id)!)}/{verb}", new ScheduleNoteRequest(c.Parse.GetValue(note)), c.CancellationToken);
            await c.Output.WriteLineAsync(c.Json ? answer : $"schedule {c.Parse.GetValue(id)} {verb}d");
            return CliApp.Success;
        }));
        return command;
    }

    private static Command TriggerCommand(ClientOptions options)
    {
        var id = new Argument<string>("ID") { Description = "Schedule id." };
        var command = new Command("trigger", "Start the schedule's workflow now (the overlap policy applies); prints the started workflow id. A firing that starts nothing says why on standard error: exit 2 when it was skipped (another run holds one of its systems, or its last run still runs), 1 when the start failed, 0 when it waits for the running one (BufferOne).") { id };
        command.SetAction(ClientAction.Create(options, async c =>
        {
            var answer = await c.Client.PostAsync($"{Path(c.Parse.GetValue(id)!)}/trigger", null, c.CancellationToken);
            if (c.Json)
            {
                await c.Output.WriteLineAsync(answer);
                return CliApp.Success;
            }

            // Standard output carries only a run id, so that `id=$(udc schedule trigger X)` followed by
            // `udc jobs show "$id"` never takes a refusal for a run; a firing that started nothing
            // is not a success either (like `udc backup start` refused while a system is busy).
            var triggered = JsonSerializer.Deserialize<ScheduleTriggered>(answer, JsonOptions)!;
            switch (triggered.Outcome)
            {
                case "Started":
                    await c.Output.WriteLineAsync(triggered.WorkflowId);
                    return CliApp.Success;
                case "AlreadyStarted":
                    await c.Error.WriteLineAsync($"udc: this fire time already started {triggered.WorkflowId}; nothing was started again.");
                    await c.Output.WriteLineAsync(triggered.WorkflowId);
                    return CliApp.Success;
                case "Buffered":
                    await c.Error.WriteLineAsync($"udc: Buffered (starts when the running run closes): {triggered.Message}");
                    return CliApp.Success;
                default:
                    await c.Error.WriteLineAsync($"udc: {triggered.Outcome}: {triggered.Message ?? triggered.WorkflowId}");
                    return triggered.Outcome == "Skipped" ? CliApp.BadInput : CliApp.Failure;
            }
        }));
        return command;
    }

    private static Command DeleteCommand(ClientOptions options)
    {
        var id = new Argument<string>("ID") { Description = "Schedule id." };
        var command = new Command("delete", "Delete a schedule; runs it started keep running.") { id };
        command.SetAction(ClientAction.Create(options, async c =>
        {
            await c.Client.DeleteAsync(Path(c.Parse.GetValue(id)!), c.CancellationToken);
            await c.Output.WriteLineAsync(c.Json ? "{}" : $"schedule {c.Parse.GetValue(id)} deleted");
            return CliApp.Success;
        }));
        return command;
    }

    private static string Path(string id) => $"api/schedules/{Uri.EscapeDataString(id)}";
}

using System.CommandLine;
using System.Text.Json;
using UdcBackup.Server.Site;
using static UdcBackup.Cli.Client.ControllerClient;

namespace UdcBackup.Cli.Commands;

/// <summary>
/// <c>udc jobs list</c> and <c>udc jobs show ID</c>: backup and restore runs with their
/// per-system progress (the workflow's <c>progress</c> query while running, its result after),
/// the live totals of a running stream, and the failure of a failed run.
/// </summary>
internal static class JobsCommands
{
    public static Command Create()
    {
        var options = new ClientOptions();
        var group = new Command("jobs", "List and inspect backup and restore runs.");
        options.AddTo(group);
        var list = new Command("list", "Backup and restore runs, newest first.");
        list.SetAction(ClientAction.Create(options, async c =>
        {
            var answer = await c.Client.GetAsync("api/jobs", c.CancellationToken);
            if (c.Json)
            {
                await c.Output.WriteLineAsync(answer);
                return CliApp.Success;
            }

            await c.Output.WriteLineAsync($"{"ID",-48} {"TYPE",-11} {"STATUS",-10} STARTED");
            foreach (var job in JsonSerializer.Deserialize<List<JobSummary>>(answer, JsonOptions)!)
            {
                await c.Output.WriteLineAsync($"{job.Id,-48} {job.WorkflowType,-11} {job.Status,-10} {job.StartTime:u}");
            }

            return CliApp.Success;
        }));
        var id = new Argument<string>("ID") { Description = "Run id (from udc jobs list)." };
        var show = new Command("show", "One run: status, each system's step, snapshot, bytes and files, failures.") { id };
        show.SetAction(ClientAction.Create(options, async c =>
        {
            var answer = await c.Client.GetAsync($"api/jobs/{Uri.EscapeDataString(c.Parse.GetValue(id)!)}", c.CancellationToken);
            if (c.Json)
            {
                await c.Output.WriteLineAsync(answer);
                return CliApp.Success;
            }

            await WriteAsync(c.Output, JsonSerializer.Deserialize<JobDetails>(answer, JsonOptions)!);
            return CliApp.Success;
        }));
        group.Subcommands.Add(list);
        group.Subcommands.Add(show);
        return group;
    }

    private static async Task WriteAsync(TextWriter output, JobDetails job)
    {
        await output.WriteLineAsync($"{job.Id} ({job.WorkflowType}): {job.Status}, started {job.StartTime:u}{(job.CloseTime is { } closed ? $", closed {closed:u}" : string.Empty)}");
        if (job.Progress is { ValueKind: JsonValueKind.Object } progress)
        {
            if (progress.TryGetProperty("phase", out var phase))
            {
                await output.WriteLineAsync($"  phase: {phase.GetString()}");
            }

            if (progress.TryGetProperty("systems", out var systems))
            {
                foreach (var s in systems.EnumerateArray())
                {
                    await output.WriteLineAsync(
                        $"  {Text(s, "systemId"),-20} {Text(s, "status"),-10} {Text(s, "step") ?? string.Empty,-24} {Text(s, "level") ?? string.Empty,-11} " +
                        $"{Number(s, "bytes"),12:N0} B {Number(s, "files"),8:N0} files {Text(s, "snapshotId")?[..12] ?? string.Empty}");
                    if (Text(s, "error") is { } error)
                    {
                        await output.WriteLineAsync($"      error: {error}");
                    }

                    if (Text(s, "warning") is { } warning)
                    {
                        await output.WriteLineAsync($"      warning: {warning}");
                    }
                }
            }
            else
            {
                await output.WriteLineAsync($"  {Text(progress, "snapshotId")} of {Text(progress, "snapshotSystemId")} -> {Text(progress, "targetSystemId")}, approved by {Text(progress, "approvedBy") ?? "(same system)"}, {Number(progress, "bytes"):N0} B, {Number(progress, "files"):N0} files");
            }
        }

        foreach (var transfer in job.RunningTransfers)
        {
            await output.WriteLineAsync($"  streaming: {Number(transfer, "bytes"):N0} B, {Number(transfer, "files"):N0} files so far");
        }

        if (job.Failure is { } failure)
        {
            await output.WriteLineAsync($"  failure: {failure}");
        }
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? (v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText()) : null;

    private static long Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;
}

using System.CommandLine;
using System.Text.Json;
using UdcBackup.Server.Site;
using static UdcBackup.Cli.Client.ControllerClient;

namespace UdcBackup.Cli.Commands;

/// <summary><c>udc backup start JOB</c>: run a site backup job now, from the current site version.</summary>
internal static class BackupCommands
{
    public static Command Create()
    {
        var options = new ClientOptions();
        var group = new Command("backup", "Start site backup jobs by hand (scheduled runs start by themselves).");
        options.AddTo(group);
        var job = new Argument<string>("JOB") { Description = "Job id from the site." };
        var force = new Option<bool>("--force") { Description = "Start even while another backup or restore works on one of the job's systems (refused otherwise)." };
        var start = new Command("start", "Start a run of JOB now; prints its id (backup-JOB-TIME). Follow it with udc jobs show ID.") { job, force };
        start.SetAction(ClientAction.Create(options, async c =>
        {
            var answer = await c.Client.PostAsync("api/backups", new BackupStartRequest(c.Parse.GetValue(job)!, c.Parse.GetValue(force)), c.CancellationToken);
            var started = JsonSerializer.Deserialize<JobStarted>(answer, JsonOptions)!;
            await c.Output.WriteLineAsync(c.Json ? answer : started.Id);
            return CliApp.Success;
        }));
        group.Subcommands.Add(start);
        return group;
    }
}

using System.CommandLine;
using System.Text.Json;
using UdcBackup.Cli.Client;
using UdcBackup.Server.Site;
using static UdcBackup.Cli.Client.ControllerClient;

namespace UdcBackup.Cli.Commands;

/// <summary>
/// <c>udc restore start --system S --snapshot ID [--to OTHER --approve] [--into DIR] [--path P]...</c>:
/// restore a snapshot to its own system, or, with an explicit approval recorded under the operator's
/// name, to another; to the original paths, or below a folder on the target; every data set, or only
/// the selected paths inside them (the controller checks them: a path outside every data set is exit 2). <c>--approve</c> without
/// <c>--to</c> is a usage error (exit 2), not ignored.
/// </summary>
internal static class RestoreCommands
{
    public static Command Create()
    {
        var options = new ClientOptions();
        var group = new Command("restore", "Start operator restores of site systems.");
        options.AddTo(group);
        var system = new Option<string>("--system") { Description = "The system the snapshot belongs to.", Required = true, HelpName = "SYSTEM" };
        var snapshot = new Option<string>("--snapshot") { Description = "Snapshot id, its first characters as udc jobs show prints them, or 'latest' (the system's newest).", Required = true, HelpName = "ID" };
        var to = new Option<string?>("--to") { Description = "Restore to this other system instead (needs --approve).", HelpName = "SYSTEM" };
        var approve = new Option<bool>("--approve") { Description = "Approve restoring another system's snapshot; the controller records the signed-in user (the API token's) as who approved." };
        var operatorName = new Option<string>("--operator") { Description = "Only for a controller without sign-in: the name recorded as who started (and approved) the restore; default: the login name. A signed-in user is recorded instead.", DefaultValueFactory = _ => Environment.UserName, HelpName = "NAME" };
        var into = new Option<string?>("--into") { Description = "Restore into this absolute folder on the target: each file lands at DIR/<its original path>, the originals are left alone. It must lie inside the target disk agent's restore roots. Default: the original paths.", HelpName = "DIR" };
        var paths = new Option<string[]>("--path") { Description = "Restore only this absolute path (a file or folder inside one of the system's data sets, e.g. /var/lib/app/config); repeatable. A data set restored with replace then replaces only below it. Default: every data set whole.", HelpName = "PATH", AllowMultipleArgumentsPerToken = false };
        var force = new Option<bool>("--force") { Description = "Start even while another backup or restore works on the target system (refused otherwise)." };
        var start = new Command("start", "Start a restore; prints its id. The controller refuses another system's snapshot without --approve.") { system, snapshot, to, into, paths, approve, operatorName, force };
        start.SetAction(ClientAction.Create(options, async c =>
        {
            var systemId = c.Parse.GetValue(system)!;

            // An approval without another target approves nothing; said rather than dropped, since the operator meant something by it.
            if (c.Parse.GetValue(approve) && string.IsNullOrWhiteSpace(c.Parse.GetValue(to)))
            {
                throw new CliUsageException($"--approve approves restoring {systemId}'s snapshot to another system: name it with --to SYSTEM, or leave --approve out to restore to {systemId} itself.");
            }

            var snapshotId = await CatalogSnapshotId.ResolveAsync(c.Client, systemId, c.Parse.GetValue(snapshot)!, c.CancellationToken);
            var selected = c.Parse.GetValue(paths) is { Length: > 0 } p ? p : null;
            var request = new RestoreStartRequest(systemId, snapshotId, c.Parse.GetValue(to), c.Parse.GetValue(approve), c.Parse.GetValue(operatorName), null, null, c.Parse.GetValue(force), c.Parse.GetValue(into), selected);
            var answer = await c.Client.PostAsync("api/restores", request, c.CancellationToken);
            var started = JsonSerializer.Deserialize<JobStarted>(answer, JsonOptions)!;
            await c.Output.WriteLineAsync(c.Json ? answer : started.Id);
            return CliApp.Success;
        }));
        group.Subcommands.Add(start);
        return group;
    }
}

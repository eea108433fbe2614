using System.CommandLine;
using System.Net;
using System.Text.Json;
using UdcBackup.Cli.Client;
using UdcBackup.ScriptContract;
using UdcBackup.Server.Site;
using UdcBackup.Site.Loading;
using UdcBackup.Site.Serialization;
using static UdcBackup.Cli.Client.ControllerClient;

namespace UdcBackup.Cli.Commands;

/// <summary>
/// <c>udc site apply FILE</c> and <c>udc site show</c> (which also lists script environment
/// variables the controller's current prefixes refuse; exit 0). Apply validates the file locally first,
/// with the controller's script environment prefixes (every error with file, path, line and fix;
/// exit 2, nothing sent), then the controller
/// validates it again and stores a new version, or says the content is already current.
/// </summary>
internal static class SiteCommands
{
    public static Command Create()
    {
        var options = new ClientOptions();
        var group = new Command("site", "Apply and show the site definition (zones, firewalls, agents, systems, jobs).");
        options.AddTo(group);
        group.Subcommands.Add(Apply(options));
        group.Subcommands.Add(Show(options));
        return group;
    }

    private static Command Apply(ClientOptions options)
    {
        var file = new Argument<string>("FILE") { Description = "The site definition (YAML)." };
        var command = new Command("apply", "Validate a site definition and store it on the controller as a new version; sets the jobs' schedules.") { file };
        command.SetAction(ClientAction.Create(options, async c =>
        {
            var path = c.Parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                throw new CliUsageException($"{path}: no such file");
            }

            // The controller's prefixes, so a file it would accept is not refused here.
            var environment = JsonSerializer.Deserialize<ScriptEnvironmentSettings>(await c.Client.GetAsync("api/settings/script-environment", c.CancellationToken), JsonOptions)!;
            var local = SiteDefinitionLoader.LoadFile(path, new ScriptEnvironmentRule(environment.Prefixes));
            if (!local.IsValid)
            {
                await WriteErrorsAsync(c.Error, local.Errors);
                return CliApp.BadInput;
            }

            string answer;
            try
            {
                answer = await c.Client.PostAsync("api/site", new SiteApplyRequest(await File.ReadAllTextAsync(path, c.CancellationToken), path), c.CancellationToken);
            }
            catch (ControllerProblemException e) when (e.Status == HttpStatusCode.BadRequest && TryErrors(e.RawBody) is { } refused)
            {
                await c.Error.WriteLineAsync($"udc: {refused.Title}");
                await WriteErrorsAsync(c.Error, refused.Errors);
                return CliApp.BadInput;
            }

            if (c.Json)
            {
                await c.Output.WriteLineAsync(answer);
                return CliApp.Success;
            }

            var result = JsonSerializer.Deserialize<SiteApplyResult>(answer, JsonOptions)!;
            if (result.Unchanged)
            {
                await c.Output.WriteLineAsync($"site unchanged: version {result.Version} already has this content ({ShortHash(result.ContentHash)})");
                return CliApp.Success;
            }

            await c.Output.WriteLineAsync($"applied site version {result.Version} ({ShortHash(result.ContentHash)})");
            foreach (var change in result.Changes)
            {
                await c.Output.WriteLineAsync($"  {change}");
            }

            foreach (var schedule in result.Schedules)
            {
                await c.Output.WriteLineAsync($"  schedule {schedule} set");
            }

            return CliApp.Success;
        }));
        return command;
    }

    private static Command Show(ClientOptions options)
    {
        var version = new Option<int?>("--version") { Description = "Show this version instead of the current one.", HelpName = "N" };
        var command = new Command("show", "Show the current (or a given) site version.") { version };
        command.SetAction(ClientAction.Create(options, async c =>
        {
            var query = c.Parse.GetValue(version) is { } v ? $"?version={v}" : string.Empty;
            var answer = await c.Client.GetAsync($"api/site{query}", c.CancellationToken);
            if (c.Json)
            {
                await c.Output.WriteLineAsync(answer);
                return CliApp.Success;
            }

            var stored = JsonSerializer.Deserialize<SiteVersionDetails>(answer, JsonOptions)!;
            var site = CanonicalSiteJson.Deserialize(stored.Json);
            await c.Output.WriteLineAsync($"site {site.Name} version {stored.Version}, applied {stored.AppliedAt:u}, hash {ShortHash(stored.ContentHash)}");
            await c.Output.WriteLineAsync($"  zones: {string.Join(", ", site.Zones.Select(z => $"{z.Name} ({z.Trust})"))}");
            await c.Output.WriteLineAsync($"  firewalls: {string.Join(", ", site.Firewalls.Select(f => $"{f.Name} port {f.DesignatedPort}"))}");
            await c.Output.WriteLineAsync($"  media agents: {string.Join(", ", site.MediaAgents.Select(m => $"{m.Id} {m.Endpoint}"))}");
            foreach (var system in site.Systems)
            {
                await c.Output.WriteLineAsync($"  system {system.Id}: zone {system.Zone}, agent {system.AgentEndpoint}, {system.ApplicationKind}, data sets {string.Join(", ", system.DataSets.Select(d => d.Name))}");
            }

            foreach (var job in site.Jobs)
            {
                await c.Output.WriteLineAsync($"  job {job.Id}: {string.Join(" -> ", job.Systems)} to {job.MediaAgent}/{job.Repository}, cron '{job.Schedule.Cron}' {job.Schedule.TimeZone}, window {job.Schedule.Window}");
            }

            // Shown, not an error: the stored version stays what was applied; its runs are refused until fixed.
            if (stored.ScriptEnvironmentProblems is { Count: > 0 } problems)
            {
                await c.Output.WriteLineAsync($"  refused by the controller's ScriptEnvironmentPrefixes ({string.Join(", ", stored.ScriptEnvironmentPrefixes.Select(p => p + "*"))}); runs that call these scripts are not started:");
                foreach (var problem in problems)
                {
                    await c.Output.WriteLineAsync($"    {problem}");
                }

                await c.Output.WriteLineAsync("  fix: change the site (udc site apply) or add the prefix to ScriptEnvironmentPrefixes and restart the controller");
            }

            return CliApp.Success;
        }));
        return command;
    }

    private static SiteErrorsResponse? TryErrors(string body)
    {
        try
        {
            return JsonSerializer.Deserialize<SiteErrorsResponse>(body, JsonOptions) is { Errors.Count: > 0 } errors ? errors : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task WriteErrorsAsync(TextWriter error, IReadOnlyList<SiteError> errors)
    {
        foreach (var e in errors)
        {
            await error.WriteLineAsync(e.ToString());
        }

        await error.WriteLineAsync($"udc: {errors.Count} error(s); nothing was applied");
    }

    // The controller's hash carries its algorithm ("sha256:HEX"); cutting that text at 12 left 5
    // hex digits, too few to tell versions apart, so the cut is of the digits.
    private static string ShortHash(string hash)
    {
        var colon = hash.IndexOf(':', StringComparison.Ordinal);
        var digits = colon >= 0 ? hash[(colon + 1)..] : hash;
        return digits[..Math.Min(12, digits.Length)];
    }
}

using System.CommandLine;
using System.Text.Json;
using UdcBackup.Cli.Client;
using UdcBackup.Server.Agents;
using UdcBackup.Server.Site;
using static UdcBackup.Cli.Client.ControllerClient;

namespace UdcBackup.Cli.Commands;

/// <summary>
/// <c>udc agent token create --system ID --role disk|media [--ttl 1d]</c> (admin): asks the
/// controller for a single-use enrollment token for one agent identity and prints it with the
/// CA fingerprint the agent must pin, and the <c>udc agent enroll</c> line to run on the agent's
/// host, with a word on its host when the controller's agent listener is on every address (taken
/// from this command's own address, or a placeholder). The token is shown once; the controller
/// keeps only its hash.
/// </summary>
internal static class AgentTokenCommands
{
    public static Command Create()
    {
        var options = new ClientOptions();
        var group = new Command("token", "Enrollment tokens for agents (admin).");
        options.AddTo(group);
        var system = new Option<string>("--system") { Description = "The agent's identity: the site's system id (disk) or media agent id (media).", Required = true, HelpName = "ID" };
        var role = new Option<string>("--role") { Description = "disk or media.", Required = true, HelpName = "ROLE" };
        role.AcceptOnlyFromAmong("disk", "media");
        var ttl = new Option<string?>("--ttl") { Description = "How long the token may be used: 30m, 12h, 7d (default 1d, at most 30d).", HelpName = "DURATION" };
        var create = new Command("create", "Create a single-use enrollment token; prints the token, the CA fingerprint and the enroll command.") { system, role, ttl };
        create.SetAction(ClientAction.Create(options, async c =>
        {
            var lifetime = Durations.Parse(c.Parse.GetValue(ttl), "--ttl");
            if (lifetime > AgentEndpoints.MaxTokenLifetime)
            {
                // Said here in the option's words; the controller's refusal names its API field.
                throw new CliUsageException($"--ttl: '{c.Parse.GetValue(ttl)}' is longer than {Durations.Format(AgentEndpoints.MaxTokenLifetime)}, the longest an enrollment token may be valid; create one when the agent is about to be enrolled.");
            }

            var request = new EnrollmentTokenRequest(c.Parse.GetValue(system), c.Parse.GetValue(role), lifetime is { } l ? (int)Math.Ceiling(l.TotalSeconds) : null);
            var answer = await c.Client.PostAsync("api/agents/tokens", request, c.CancellationToken);
            if (c.Json)
            {
                await c.Output.WriteLineAsync(answer);
                return CliApp.Success;
            }

            var created = JsonSerializer.Deserialize<EnrollmentTokenCreated>(answer, JsonOptions)!;
            await c.Output.WriteLineAsync($"token:      {created.Token}");
            await c.Output.WriteLineAsync($"identity:   {created.Role}:{created.SystemId}");
            await c.Output.WriteLineAsync($"expires:    {created.ExpiresAt:u}");
            await c.Output.WriteLineAsync($"ca-sha256:  {created.CaSha256}");
            await c.Output.WriteLineAsync($"on the agent's host: udc agent enroll --server {created.ServerUrl ?? "https://CONTROLLER:AGENT-PORT"} --token {created.Token} --ca-sha256 {created.CaSha256} --credentials DIR");
            if (HostNote(created) is { } hostNote)
            {
                await c.Output.WriteLineAsync(hostNote);
            }
            if (await NotInSiteAsync(c, created.SystemId, created.Role) is { } note)
            {
                await c.Error.WriteLineAsync(note);
            }

            return CliApp.Success;
        }));
        group.Subcommands.Add(create);
        return group;
    }

    // A listener on every address names no host: the operator must know whether the one printed
    // is the controller's own word, the name this command used, or a placeholder to replace.
    private static string? HostNote(EnrollmentTokenCreated created)
    {
        var host = created.ServerUrl is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host : null;
        return created.ServerHostFrom switch
        {
            AgentEnrollmentAddress.FromRequest when host is not null =>
                $"  (the agent listener is on every address; {host} is the host this command reached the controller by" +
                (IsLoopback(host) ? ", a loopback address: right only for an agent on the controller's own host" : ": use another name if the agent reaches the controller differently") + ")",
            AgentEnrollmentAddress.Placeholder =>
                $"  (the agent listener is on every address and no name for it is known here: replace {AgentEnrollmentAddress.PlaceholderHost} with the controller's name or address as the agent reaches it)",
            _ => null,
        };
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));

    // Enrolling before the site names the system is a normal order, so the token stands; but a
    // mistyped id gives an agent no job will ever use, so say so while the operator is here.
    private static async Task<string?> NotInSiteAsync(ClientContext c, string id, string role)
    {
        SiteVersionDetails site;
        try
        {
            site = JsonSerializer.Deserialize<SiteVersionDetails>(await c.Client.GetAsync("api/site", c.CancellationToken), JsonOptions)!;
        }
        catch (ControllerProblemException)
        {
            return null; // no site applied yet (404), or not readable: nothing to compare with
        }

        using var document = JsonDocument.Parse(site.Json);
        var key = role == "media" ? "mediaAgents" : "systems";
        var known = document.RootElement.TryGetProperty(key, out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(e => e.TryGetProperty("id", out var i) ? i.GetString() : null).OfType<string>().Order(StringComparer.Ordinal).ToList()
            : [];
        return known.Contains(id, StringComparer.Ordinal)
            ? null
            : $"note: {id} is not a {(role == "media" ? "media agent" : "system")} of the applied site version {site.Version} ({(known.Count == 0 ? "none" : string.Join(", ", known))}); an agent enrolled as {role}:{id} is used by no job until the site names it.";
    }
}

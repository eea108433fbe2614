using System.CommandLine;
using System.Text.Json;
using UdcBackup.Cli.Client;
using UdcBackup.Server.Agents;
using static UdcBackup.Cli.Client.ControllerClient;

namespace UdcBackup.Cli.Commands;

/// <summary>
/// <c>udc agent token create --system ID --role disk|media [--ttl 1d]</c> (admin): asks the
/// controller for a single-use enrollment token for one agent identity and prints it with the
/// CA fingerprint the agent must pin, and the <c>udc agent enroll</c> line to run on the agent's
/// host. The token is shown once; the controller keeps only its hash.
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
            await c.Output.WriteLineAsync($"on the agent's host: udc agent enroll --server https://CONTROLLER:AGENT-PORT --token {created.Token} --ca-sha256 {created.CaSha256} --credentials DIR");
            return CliApp.Success;
        }));
        group.Subcommands.Add(create);
        return group;
    }
}

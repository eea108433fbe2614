using System.Text.RegularExpressions;
using UdcBackup.Testing;
using UdcBackup.Testing.Agents;

namespace UdcBackup.Server.Tests.Cli;

/// <summary>
/// <c>udc agent token create</c> prints the enroll line with the controller's real agent address
/// when it has an agent listener (here configured with port 0, so the bound port must be read
/// back), not the <c>https://CONTROLLER:AGENT-PORT</c> placeholder; the JSON answer carries it as
/// <c>serverUrl</c>. The placeholder for a controller without a listener is checked by
/// <see cref="UnknownSiteIdNoteTests"/>. A listener on every address names the host the CLI reached
/// the controller by, and the hint says where that host came from.
/// </summary>
public sealed class EnrollHintTests
{
    [Fact]
    public async Task The_enroll_line_names_the_agent_listener_with_its_bound_port()
    {
        await using var server = await ServerProcess.StartAsync(environment: AgentEnrollment.ControllerEnvironment);

        var text = await server.RunCliAsync("agent", "token", "create", "--system", "db-1", "--role", "disk");
        var json = await server.RunCliAsync("agent", "token", "create", "--system", "db-1", "--role", "disk", "--json");

        text.ExitCode.Should().Be(0, text.ToString());
        var hint = Regex.Match(text.Stdout, @"udc agent enroll --server (\S+) --token");
        hint.Success.Should().BeTrue(text.Stdout);
        hint.Groups[1].Value.Should().MatchRegex(@"^https://127\.0\.0\.1:[1-9][0-9]*$");
        json.ExitCode.Should().Be(0, json.ToString());
        json.Stdout.Should().Contain($"\"serverUrl\":\"{hint.Groups[1].Value}\"");
    }

    [Fact]
    public async Task With_a_listener_on_every_address_the_enroll_line_names_the_host_this_command_used_and_says_so()
    {
        await using var server = await ServerProcess.StartAsync(environment: new Dictionary<string, string> { ["UDC_AGENTURLS"] = "https://0.0.0.0:0" });

        var text = await server.RunCliAsync("agent", "token", "create", "--system", "db-1", "--role", "disk");
        var json = await server.RunCliAsync("agent", "token", "create", "--system", "db-1", "--role", "disk", "--json");

        text.ExitCode.Should().Be(0, text.ToString());
        var hint = Regex.Match(text.Stdout, @"udc agent enroll --server (\S+) --token");
        hint.Groups[1].Value.Should().MatchRegex(@"^https://127\.0\.0\.1:[1-9][0-9]*$", "the CLI reached the controller at {0}", server.BaseAddress);
        text.Stdout.Should().Contain("(the agent listener is on every address; 127.0.0.1 is the host this command reached the controller by, a loopback address");
        json.Stdout.Should().Contain($"\"serverUrl\":\"{hint.Groups[1].Value}\"").And.Contain("\"serverHostFrom\":\"request\"");
    }
}

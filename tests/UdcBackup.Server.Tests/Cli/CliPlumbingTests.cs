using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using UdcBackup.Server.Tests.Infrastructure;

namespace UdcBackup.Server.Tests.Cli;

public sealed class CliPlumbingTests
{
    [Fact]
    public async Task A_usage_error_exits_2_with_the_reason_on_stderr()
    {
        var result = await CliRun.InProcessAsync("server", "--no-such-option");

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().Contain("--no-such-option").And.Contain("udc server --help");
        result.Stdout.Should().BeEmpty();
    }

    [Fact]
    public async Task A_value_that_is_not_a_number_is_named_by_what_the_option_takes_not_a_dotnet_type()
    {
        var result = await CliRun.InProcessAsync("jobs", "list", "--limit", "ten", "--json", "--server", $"http://127.0.0.1:{ClosedPort()}");

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().StartWith("udc: --limit: 'ten' is not a whole number").And.Contain("udc jobs list --help").And.NotContain("System.");
        result.Stdout.Should().Contain("is not a whole number").And.NotContain("System.");
    }

    [Fact]
    public async Task The_root_help_lists_the_command_groups()
    {
        var result = await CliRun.InProcessAsync("--help");

        result.ExitCode.Should().Be(0);
        result.Stdout.Should().Contain("server").And.Contain("--verbose");
    }

    [Fact]
    public async Task Restore_help_says_the_signed_in_user_is_recorded_as_who_approved_not_the_operator_option()
    {
        // The controller records the token's user; --operator is a fallback for hosts without sign-in.
        var result = await CliRun.InProcessAsync("restore", "start", "--help");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().Contain("signed-in user").And.NotContain("recorded with --operator");
    }

    [Fact]
    public async Task A_controller_that_is_not_running_gives_a_clear_message_and_exit_1()
    {
        var closedPort = ClosedPort();

        var result = await CliRun.InProcessAsync("workflow", "list", "--server", $"http://127.0.0.1:{closedPort}");

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stderr.Should().Contain($"cannot reach the controller at http://127.0.0.1:{closedPort}").And.Contain("udc server");
    }

    [Theory]
    [InlineData("http", "is not the controller's API")]
    [InlineData("https", "the TLS connection to")]
    public async Task An_address_where_something_else_answers_says_so_with_exit_1_and_no_stack_trace(string scheme, string expected)
    {
        // A port that accepts and answers a line that is neither HTTP nor TLS, as a wrong service would.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var answering = AnswerGarbageAsync(listener);

        var result = await CliRun.InProcessAsync("workflow", "list", "--json", "--server", $"{scheme}://127.0.0.1:{port}");
        listener.Stop();
        await answering;

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stderr.Should().StartWith("udc: ").And.Contain(expected).And.Contain("--server").And.NotContain("   at ");
        result.Stdout.Should().Contain("urn:udc:cli:unreachable");
    }

    [Fact]
    public async Task A_web_server_that_answers_an_error_page_is_named_as_not_the_controller_without_printing_the_page()
    {
        // Another web service at --server (or a proxy in front of a stopped controller) answers
        // its own error page; the controller answers every error with a problem document.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var answering = AnswerHttpAsync(listener, "404 Not Found", "<html>\n<head><title>404 Not Found</title></head>\n<body>deep inside the page</body>\n</html>\n");

        var result = await CliRun.InProcessAsync("workflow", "list", "--server", $"http://127.0.0.1:{port}");
        listener.Stop();
        await answering;

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().StartWith("udc: ").And.Contain($"http://127.0.0.1:{port}/").And.Contain("problem document").And.Contain("--server");
        result.Stderr.Should().NotContain("deep inside the page", "an error page is not printed whole");
    }

    [Fact]
    public async Task Agent_commands_name_a_bad_option_or_file_without_the_codes_parameter_name()
    {
        var fingerprint = await CliRun.InProcessAsync("agent", "enroll", "--server", "https://127.0.0.1:1", "--token", "t", "--ca-sha256", "abcd", "--credentials", Path.Combine(Path.GetTempPath(), "udc-no-credentials"));
        var config = await CliRun.InProcessAsync("agent", "disk", "--config", "/nonexistent-udc-disk-agent.json");

        fingerprint.ExitCode.Should().Be(2, fingerprint.ToString());
        fingerprint.Stderr.Should().Contain("64 hex digits").And.NotContain("(Parameter");
        config.ExitCode.Should().Be(2, config.ToString());
        config.Stderr.Should().Contain("/nonexistent-udc-disk-agent.json").And.NotContain("(Parameter");
    }

    [Fact]
    public async Task Enrolling_against_a_closed_port_names_the_agent_listener_and_exits_1()
    {
        var result = await CliRun.InProcessAsync("agent", "enroll", "--server", $"https://127.0.0.1:{ClosedPort()}", "--token", "t", "--ca-sha256", new string('a', 64), "--credentials", Path.Combine(Path.GetTempPath(), "udc-no-credentials"));

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stderr.Should().Contain("cannot reach the controller's agent listener at https://127.0.0.1:").And.Contain("udc agent token create");
    }

    [Fact]
    public async Task A_malformed_server_address_is_bad_input()
    {
        var result = await CliRun.InProcessAsync("workflow", "list", "--server", "127.0.0.1:5080");

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().Contain("--server");
    }

    [Theory]
    [InlineData("workflow", "start", "diag.steps", "--input", "{\"steps\":")]
    [InlineData("workflow", "signal", "some-id", "go", "--input", "not json")]
    [InlineData("schedule", "create", "nightly", "--type", "diag.steps")]
    [InlineData("schedule", "create", "nightly", "--type", "diag.steps", "--cron", "0 2 * * *", "--every", "1h")]
    [InlineData("schedule", "create", "nightly", "--type", "diag.steps", "--every", "0s")]
    [InlineData("schedule", "create", "nightly", "--type", "diag.steps", "--every", "soon")]
    [InlineData("agent", "token", "create", "--system", "db-1", "--role", "disk", "--ttl", "400d")]
    public async Task Input_the_CLI_can_judge_itself_is_rejected_before_anything_is_sent(params string[] args)
    {
        // The server address is closed: had the CLI sent anything, the exit code would be 1.
        var result = await CliRun.InProcessAsync([.. args, "--server", $"http://127.0.0.1:{ClosedPort()}"]);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().StartWith("udc: ");
    }

    [Theory]
    [InlineData(1, "urn:udc:cli:unreachable", "workflow", "list", "--json")]
    [InlineData(2, "urn:udc:cli:bad-input", "workflow", "start", "diag.steps", "--input", "{\"steps\":", "--json")]
    [InlineData(2, "urn:udc:cli:bad-input", "schedule", "create", "nightly", "--type", "diag.steps", "--json")]
    [InlineData(2, "urn:udc:cli:bad-input", "jobs", "show", "--json")]
    [InlineData(2, "urn:udc:cli:bad-input", "workflow", "list", "--no-such-option", "--json")]
    public async Task With_json_a_failure_the_CLI_catches_itself_is_a_problem_document_on_stdout(int exitCode, string type, params string[] args)
    {
        var result = await CliRun.InProcessAsync([.. args, "--server", $"http://127.0.0.1:{ClosedPort()}"]);

        ExpectProblemLine(result, exitCode, type);
    }

    [Fact]
    public async Task With_json_an_archive_command_refused_before_opening_the_repository_is_a_problem_document_on_stdout()
    {
        var result = await CliRun.InProcessAsync("archive", "snapshots", "--repo", "/nonexistent-udc-repo", "--password-file", "/nonexistent-udc-password", "--json");

        ExpectProblemLine(result, 2, "urn:udc:cli:bad-input");
    }

    private static void ExpectProblemLine(CliResult result, int exitCode, string type)
    {
        result.ExitCode.Should().Be(exitCode, result.ToString());
        result.Stderr.Should().StartWith("udc: ", "people still read the reason on stderr");
        using var problem = JsonDocument.Parse(result.Stdout);
        problem.RootElement.GetProperty("type").GetString().Should().Be(type, result.Stdout);
        problem.RootElement.GetProperty("title").GetString().Should().NotBeNullOrWhiteSpace();
        problem.RootElement.GetProperty("detail").GetString().Should().NotBeNullOrWhiteSpace();
        problem.RootElement.GetProperty("status").ValueKind.Should().Be(JsonValueKind.Null, "no controller answered");
        problem.RootElement.GetProperty("exitCode").GetInt32().Should().Be(exitCode);
        result.Stdout.TrimEnd().Should().NotContain("\n", "one line, so NDJSON readers can read it");
    }

    private static async Task AnswerHttpAsync(TcpListener listener, string status, string html)
    {
        try
        {
            while (true)
            {
                using var client = await listener.AcceptTcpClientAsync();
                var stream = client.GetStream();
                var request = new byte[4096];
                _ = await stream.ReadAsync(request);
                var body = System.Text.Encoding.UTF8.GetBytes(html);
                await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Type: text/html\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n"));
                await stream.WriteAsync(body);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            // The listener was stopped, or the CLI hung up first.
        }
    }

    private static async Task AnswerGarbageAsync(TcpListener listener)
    {
        try
        {
            while (true)
            {
                using var client = await listener.AcceptTcpClientAsync();
                var stream = client.GetStream();
                await stream.WriteAsync("garbage that is not HTTP\r\n\r\n"u8.ToArray());
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            // The listener was stopped, or the CLI hung up first.
        }
    }

    private static int ClosedPort()
    {
        // Bind to get a free port, then release it: nothing listens there any more.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

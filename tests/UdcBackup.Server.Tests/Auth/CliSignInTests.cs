using UdcBackup.Server.Tests.Infrastructure;

namespace UdcBackup.Server.Tests.Auth;

/// <summary>
/// The operator's side of sign-in, with <c>udc</c> as a child process: <c>udc login</c> with the
/// password on standard input, users and tokens made with <c>udc user</c>, the token found in
/// <c>UDC_DATA/admin.token</c> with no option at all, and the hint printed when none is found.
/// </summary>
public sealed class CliSignInTests : IClassFixture<SharedServerFixture>
{
    private readonly ServerProcess _server;

    public CliSignInTests(SharedServerFixture fixture)
    {
        _server = fixture.Server;
    }

    [Fact]
    public async Task An_admin_creates_an_operator_who_logs_in_and_a_viewer_token_is_refused_changes()
    {
        var created = await _server.RunCliAsync(["user", "create", "cli-op", "--role", "operator"], standardInput: Accounts.Password + "\n");
        var viewer = await _server.RunCliAsync(["user", "create", "cli-viewer", "--role", "viewer"], standardInput: Accounts.Password + "\n");
        var list = await _server.RunCliAsync("user", "list");
        var login = await _server.RunCliAsync(["login", "--user", "cli-op"], token: string.Empty, standardInput: Accounts.Password + "\n");
        var badLogin = await _server.RunCliAsync(["login", "--user", "cli-op"], token: string.Empty, standardInput: "not it at all\n");

        created.ExitCode.Should().Be(0, created.ToString());
        created.Stdout.Trim().Should().Be("created cli-op (operator)");
        viewer.ExitCode.Should().Be(0, viewer.ToString());
        list.Stdout.Should().MatchRegex(@"cli-op\s+operator").And.MatchRegex(@"admin\s+admin");
        login.ExitCode.Should().Be(0, login.ToString());
        var token = login.Stdout.Trim();
        token.Should().StartWith("udc_");
        login.Stderr.Should().Contain("Signed in as cli-op (operator)");
        badLogin.ExitCode.Should().Be(2, badLogin.ToString());
        badLogin.Stderr.Should().Contain("The user name or the password is wrong.");

        var started = await _server.RunCliAsync(["workflow", "start", "diag.steps", "--input", """{"steps":1,"stepMillis":10}""", "--token", token], token: string.Empty);
        started.ExitCode.Should().Be(0, started.ToString());

        var viewerToken = (await _server.RunCliAsync("user", "token", "create", "cli-viewer", "--label", "dashboards")).Stdout.Trim();
        viewerToken.Should().StartWith("udc_");
        var refused = await _server.RunCliAsync(["workflow", "start", "diag.steps", "--input", "{}"], token: viewerToken);
        refused.ExitCode.Should().Be(2, refused.ToString());
        refused.Stderr.Should().Contain("Not allowed.").And.Contain("needs the role operator");
    }

    [Fact]
    public async Task With_no_token_given_the_CLI_uses_the_data_directory_token_and_without_one_says_how_to_sign_in()
    {
        var fromData = await _server.RunCliAsync(["workflow", "list"], token: string.Empty, environment: new Dictionary<string, string> { ["UDC_DATA"] = _server.DataDirectory });
        var nowhere = await _server.RunCliAsync(["workflow", "list"], token: string.Empty, environment: new Dictionary<string, string> { ["UDC_DATA"] = Path.Combine(_server.DataDirectory, "absent") });

        fromData.ExitCode.Should().Be(0, fromData.ToString());
        nowhere.ExitCode.Should().Be(2, nowhere.ToString());
        nowhere.Stderr.Should().Contain("Not signed in.").And.Contain("udc login");
    }
}

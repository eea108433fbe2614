using System.Text.RegularExpressions;
using UdcBackup.Server.Tests.Infrastructure;
using UdcBackup.Server.Tests.Site;

namespace UdcBackup.Server.Tests.Cli;

/// <summary>
/// The everyday mistakes of an operator at the <c>udc</c> controller commands, each answered
/// with what is wrong and how to fix it, exit code 2 and nothing changed: a mistyped workflow
/// type or system (both used to read as "nothing there", exit 0 or "no snapshot yet"), a cron
/// expression that never fires (it used to be stored), a refused API token (named by where it
/// came from, since the operator may not have typed it), and a wrong password at <c>udc login</c>
/// (no advice to sign in, which is what the operator is doing). Site hashes print 12 digits.
/// </summary>
public sealed partial class OperatorMistakeTests : IClassFixture<SharedServerFixture>
{
    private readonly SharedServerFixture _fixture;

    public OperatorMistakeTests(SharedServerFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task A_mistyped_workflow_type_is_bad_input_that_lists_the_known_types()
    {
        var result = await CliAsync("workflow", "list", "--type", "diag.step");

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().Contain("--type: 'diag.step' is not a workflow type").And.Contain("diag.steps").And.Contain("backup.job");
        result.Stdout.Should().BeEmpty();
    }

    [Fact]
    public async Task An_empty_page_after_an_unknown_cursor_says_what_after_takes()
    {
        var result = await CliAsync("workflow", "list", "--after", "job-nightly-20261122T020000Z");

        result.ExitCode.Should().Be(0, "an unknown cursor lists nothing, which is not an error");
        result.Stderr.Should().Contain("no runs after 'job-nightly-20261122T020000Z'").And.Contain("run id");
    }

    [Fact]
    public async Task A_restore_of_a_system_the_site_does_not_have_names_the_sites_systems()
    {
        await SiteYaml.Site.ApplyAsync(_fixture.Server);

        var result = await CliAsync("restore", "start", "--system", "db-l", "--snapshot", "latest");

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().Contain("'db-l' is not a system of the applied site").And.Contain(SiteYaml.FirstSystem).And.Contain(SiteYaml.SecondSystem);
        (await _fixture.Server.GetRawAsync("/api/jobs")).Should().Be("[]", "a refused restore starts nothing");
    }

    [Fact]
    public async Task A_cron_expression_that_never_fires_is_refused_and_nothing_is_stored()
    {
        var before = await _fixture.Server.GetRawAsync("/api/schedules");

        var result = await CliAsync("schedule", "create", "february-31", "--type", "diag.steps", "--cron", "0 0 31 2 *");

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().Contain("Cron expression '0 0 31 2 *' never fires");
        (await _fixture.Server.GetRawAsync("/api/schedules")).Should().Be(before);
    }

    [Fact]
    public async Task A_refused_token_is_named_by_where_it_came_from()
    {
        var fromVariable = await _fixture.Server.RunCliAsync(["schedule", "list"], token: "udc_not-a-token-of-this-controller");
        var none = await CliRun.ChildAsync(
            ["schedule", "list"],
            new Dictionary<string, string> { ["UDC_SERVER"] = _fixture.Server.BaseAddress.ToString(), ["UDC_DATA"] = Path.Combine(_fixture.Server.DataDirectory, "no-such-folder") });

        fromVariable.ExitCode.Should().Be(2, fromVariable.ToString());
        fromVariable.Stderr.Should().Contain("The API token sent came from UDC_TOKEN").And.Contain("udc login");
        fromVariable.Stderr.Should().NotContain("POST /api/auth/login", "the controller's words for any client are replaced by the CLI's, not repeated");
        Regex.Matches(fromVariable.Stderr, "wrong, expired or revoked").Should().ContainSingle(fromVariable.Stderr);
        none.ExitCode.Should().Be(2, none.ToString());
        none.Stderr.Should().Contain("No API token was sent").And.Contain(Path.Combine("no-such-folder", "admin.token"));
    }

    [Fact]
    public async Task A_wrong_password_at_login_says_so_without_advice_to_sign_in()
    {
        var result = await _fixture.Server.RunCliAsync(["login", "--user", "nobody-here", "--json"], standardInput: "not-the-password-1\n");

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().Contain("The user name or the password is wrong").And.NotContain("udc login");
        result.Stdout.Should().Contain("\"status\":401", "--json prints the controller's problem document");
    }

    [Fact]
    public async Task Site_apply_and_show_print_twelve_digits_of_the_content_hash()
    {
        var file = Path.Combine(_fixture.Server.DataDirectory, "operator-site.yaml");
        await File.WriteAllTextAsync(file, SiteYaml.Valid);

        var apply = await CliAsync("site", "apply", file);
        var show = await CliAsync("site", "show");

        apply.ExitCode.Should().Be(0, apply.ToString());
        Hash().IsMatch(apply.Stdout).Should().BeTrue(apply.Stdout);
        show.ExitCode.Should().Be(0, show.ToString());
        Hash().IsMatch(show.Stdout).Should().BeTrue(show.Stdout);
    }

    [GeneratedRegex(@"(\(|hash )[0-9a-f]{12}(\)|\s)")]
    private static partial Regex Hash();

    private Task<CliResult> CliAsync(params string[] args) => CliRun.InProcessAsync([.. args, .. _fixture.ServerArgs]);
}

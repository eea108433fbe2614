using UdcBackup.Firewall.Templates;

namespace UdcBackup.Firewall.Tests;

/// <summary>
/// Drives a stand-in for a third-party firewall CLI: a real script that keeps its windows in a
/// state file and records every argument it receives, one per line.
/// </summary>
public sealed class CommandTemplateFirewallTests : IDisposable
{
    private const string Script = """
        #!/bin/sh
        # fake-fw STATE_DIR VERB ARGS...: a firewall CLI with open/close/list/show.
        dir=$1; verb=$2; shift 2
        for a in "$@"; do printf '%s\n' "$a"; done > "$dir/last-$verb.args"
        case "$verb" in
          open) n=$(($(cat "$dir/counter" 2>/dev/null || echo 0) + 1)); echo $n > "$dir/counter"
                echo "$1 rule-$n" >> "$dir/windows"; echo "rule-$n" ;;
          close) grep -v "^$1 $2\$" "$dir/windows" > "$dir/windows.new" || true; mv "$dir/windows.new" "$dir/windows" ;;
          list) grep "^$1" "$dir/windows" || true ;;
          show) echo "ruleset"; cat "$dir/windows" 2>/dev/null || true ;;
          fail) echo "permission denied" >&2; exit 3 ;;
        esac
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("udc-cmdfw-").FullName;
    private readonly string _script;

    public CommandTemplateFirewallTests()
    {
        _script = Path.Combine(_dir, "fake-fw");
        File.WriteAllText(_script, Script);
        File.SetUnixFileMode(_script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private CommandTemplateFirewall Firewall(string openVerb = "open") => new(new CommandTemplateOptions
    {
        Name = "other",
        Open = [_script, _dir, openVerb, "{tag}", "--from={source}", "--to", "{destination}", "--port", "{port}/{protocol}", "{job}"],
        Close = [_script, _dir, "close", "{tag}", "{handle}"],
        List = [_script, _dir, "list", "{prefix}"],
        Snapshot = [_script, _dir, "show"],
    });

    private static FirewallWindowRequest Request(string job) =>
        new(5555, System.Net.IPAddress.Parse("203.0.113.2"), System.Net.IPAddress.Parse("198.51.100.2"), job);

    [Fact]
    public async Task Values_are_substituted_as_separate_arguments_and_the_window_round_trips()
    {
        var firewall = Firewall();
        var before = await firewall.SnapshotAsync();

        var window = await firewall.OpenWindowAsync(Request("job-1"));
        window.Handle.Should().Be("rule-1");
        File.ReadAllLines(Path.Combine(_dir, "last-open.args")).Should().Equal(
            "udc:job=job-1", "--from=203.0.113.2", "--to", "198.51.100.2", "--port", "5555/tcp", "job-1");

        (await firewall.ListWindowsAsync()).Should().ContainSingle().Which.Handle.Should().Be("rule-1");
        await firewall.CloseWindowAsync(window);
        File.ReadAllLines(Path.Combine(_dir, "last-close.args")).Should().Equal("udc:job=job-1", "rule-1");
        (await firewall.ListWindowsAsync()).Should().BeEmpty();
        (await firewall.SnapshotAsync()).Compare(before).Identical.Should().BeTrue();
    }

    [Fact]
    public async Task Closing_a_window_that_is_gone_does_not_run_the_close_command()
    {
        var firewall = Firewall();
        var window = await firewall.OpenWindowAsync(Request("job-2"));
        await firewall.CloseWindowAsync(window);
        File.Delete(Path.Combine(_dir, "last-close.args"));

        await firewall.CloseWindowAsync(window);
        File.Exists(Path.Combine(_dir, "last-close.args")).Should().BeFalse();
    }

    [Fact]
    public async Task Leftovers_are_listed_by_prefix()
    {
        await Firewall().OpenWindowAsync(Request("crash-1"));
        await Firewall().OpenWindowAsync(Request("other-1"));
        var leftovers = await Firewall().ListWindowsAsync("udc:job=crash-");
        leftovers.Should().ContainSingle().Which.JobId.Should().Be("crash-1");
    }

    [Fact]
    public async Task A_failing_command_reports_its_exit_code_and_error_output()
    {
        var open = () => Firewall("fail").OpenWindowAsync(Request("job-3"));
        (await open.Should().ThrowAsync<FirewallException>()).Which.Message
            .Should().Contain("exited with 3").And.Contain("permission denied");
    }

    [Fact]
    public void Templates_with_unknown_placeholders_or_a_placeholder_program_are_refused()
    {
        var unknown = () => new CommandTemplateFirewall(new CommandTemplateOptions
        {
            Open = ["fw", "{rule}"], Close = ["fw"], List = ["fw"], Snapshot = ["fw"],
        });
        unknown.Should().Throw<ArgumentException>().WithMessage("*{rule}*");

        var program = () => new CommandTemplateFirewall(new CommandTemplateOptions
        {
            Open = ["{source}"], Close = ["fw"], List = ["fw"], Snapshot = ["fw"],
        });
        program.Should().Throw<ArgumentException>().WithMessage("*program may not be a placeholder*");

        var handleInList = () => new CommandTemplateFirewall(new CommandTemplateOptions
        {
            Open = ["fw"], Close = ["fw"], List = ["fw", "{handle}"], Snapshot = ["fw"],
        });
        handleInList.Should().Throw<ArgumentException>();
    }
}

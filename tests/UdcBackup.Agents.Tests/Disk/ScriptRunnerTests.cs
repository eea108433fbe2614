using UdcBackup.Agents.Disk;

namespace UdcBackup.Agents.Tests.Disk;

/// <summary>Runs real shell scripts from a temporary allowed folder.</summary>
public sealed class ScriptRunnerTests : IDisposable
{
    private const UnixFileMode OwnerRwx = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private readonly TempFolder _temp = new();
    private readonly string _scripts;

    public ScriptRunnerTests()
    {
        _scripts = _temp.Combine("scripts");
        Directory.CreateDirectory(_scripts);
    }

    public void Dispose() => _temp.Dispose();

    private ScriptRunner Runner(int maxBytes = 64 * 1024, IReadOnlyList<string>? prefixes = null) =>
        new(new ScriptRunnerOptions { ScriptFolder = _scripts, MaxCapturedBytes = maxBytes, EnvironmentPrefixes = prefixes ?? ScriptRunnerEnvironment.DefaultPrefixes });

    private string Script(string name, string body, UnixFileMode mode = OwnerRwx, string? folder = null)
    {
        var path = Path.Combine(folder ?? _scripts, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, mode);
        return path;
    }

    [Fact]
    public async Task Runs_a_named_script_with_arguments_and_environment_and_captures_output_and_exit_code()
    {
        Script("pre-backup", """
            printf 'arg:%s\n' "$@"
            echo "mode=$UDC_BACKUP_MODE"
            echo "warning" >&2
            exit 3
            """);

        var result = await Runner().RunAsync(new ScriptInvocation
        {
            Name = "pre-backup",
            Arguments = ["one two", "$(touch injected)", "; rm -rf /"],
            Environment = new Dictionary<string, string> { ["UDC_BACKUP_MODE"] = "full" },
        });

        result.ExitCode.Should().Be(3);
        result.Succeeded.Should().BeFalse();
        result.StandardOutput.Should().Be("arg:one two\narg:$(touch injected)\narg:; rm -rf /\nmode=full\n");
        result.StandardError.Should().Be("warning\n");
        File.Exists(Path.Combine(_scripts, "injected")).Should().BeFalse("arguments are never interpreted by a shell");
    }

    [Fact]
    public async Task The_agents_own_environment_is_not_passed_on()
    {
        Script("show-env", "env | cut -d= -f1 | sort");
        var result = await Runner().RunAsync(new ScriptInvocation { Name = "show-env", Environment = new Dictionary<string, string> { ["UDC_JOB_ID"] = "j1" } });
        result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().BeSubsetOf(["UDC_JOB_ID", "LANG", "PATH", "PWD", "SHLVL", "_"]);
    }

    [Theory]
    [InlineData("../outside")]
    [InlineData("..")]
    [InlineData("/bin/sh")]
    [InlineData("/abs")]
    [InlineData("a//b")]
    [InlineData("a/./b")]
    [InlineData("a/../b")]
    [InlineData("a/")]
    [InlineData("")]
    [InlineData(".hidden")]
    [InlineData("a/.hidden")]
    [InlineData("name with space")]
    [InlineData("pre-backup\n")]
    public async Task Names_outside_the_naming_rule_are_refused(string name)
    {
        var run = () => Runner().RunAsync(new ScriptInvocation { Name = name });
        await run.Should().ThrowAsync<ScriptRefusedException>().WithMessage("*not a script name*");
    }

    [Fact]
    public async Task A_name_with_folders_runs_the_script_in_that_subfolder()
    {
        var folder = Path.Combine(_scripts, "postgresql");
        Directory.CreateDirectory(folder);
        Script("pre-backup", "echo \"in $(basename \"$(dirname \"$0\")\")\"", folder: folder);

        var result = await Runner().RunAsync(new ScriptInvocation { Name = "postgresql/pre-backup" });

        result.ExitCode.Should().Be(0);
        result.StandardOutput.Should().Be("in postgresql\n");
    }

    [Fact]
    public async Task A_subfolder_that_is_a_link_out_of_the_folder_is_refused()
    {
        var outsideFolder = _temp.Combine("elsewhere");
        Directory.CreateDirectory(outsideFolder);
        Script("pre-backup", "echo escaped", folder: outsideFolder);
        Directory.CreateSymbolicLink(Path.Combine(_scripts, "postgresql"), outsideFolder);

        await Refused("postgresql/pre-backup", "*outside the script folder*");
    }

    [Fact]
    public async Task Missing_non_executable_and_group_writable_scripts_are_refused()
    {
        Script("plain", "echo hi", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Script("shared", "echo hi", OwnerRwx | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute);

        await Refused("missing", "*does not exist*");
        await Refused("plain", "*not executable*");
        await Refused("shared", "*writable by group or others*");
    }

    [Fact]
    public async Task A_link_leading_out_of_the_folder_is_refused_and_one_inside_is_followed()
    {
        var outsideFolder = _temp.Combine("elsewhere");
        Directory.CreateDirectory(outsideFolder);
        var outside = Script("evil", "echo escaped", folder: outsideFolder);
        File.CreateSymbolicLink(Path.Combine(_scripts, "linked-out"), outside);
        Directory.CreateSymbolicLink(Path.Combine(_scripts, "dir-out"), outsideFolder);
        Script("real-post", "echo inside");
        File.CreateSymbolicLink(Path.Combine(_scripts, "post-backup"), "real-post");

        await Refused("linked-out", "*outside the script folder*");
        (await Runner().RunAsync(new ScriptInvocation { Name = "post-backup" })).StandardOutput.Should().Be("inside\n");
    }

    [Fact]
    public async Task A_script_over_its_timeout_is_killed_with_its_children()
    {
        Script("hang", "sleep 60 & echo $!; wait");
        // Long enough for bash to start and print its child's pid on a loaded CI machine (with
        // 500 ms a slow start would be killed before the echo and leave nothing to check).
        var result = await Runner().RunAsync(new ScriptInvocation { Name = "hang", Timeout = TimeSpan.FromSeconds(2) });

        result.TimedOut.Should().BeTrue();
        result.ExitCode.Should().Be(-1);
        var child = int.Parse(result.StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        (await IsDeadWithinAsync(child, TimeSpan.FromSeconds(5))).Should().BeTrue("the child sleep was killed with the script");
        result.Duration.Should().BeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Output_is_bounded_but_the_script_still_runs_to_the_end()
    {
        Script("chatty", "head -c 1000000 /dev/zero | tr '\\0' 'x'; echo done >&2");
        var result = await Runner(maxBytes: 4096).RunAsync(new ScriptInvocation { Name = "chatty" });

        result.ExitCode.Should().Be(0);
        result.StandardOutput.Should().HaveLength(4096);
        result.OutputTruncated.Should().BeTrue();
        result.StandardError.Should().Be("done\n");
    }

    [Fact]
    public async Task Bad_environment_names_and_timeouts_are_refused()
    {
        Script("ok", "true");
        var badName = () => Runner().RunAsync(new ScriptInvocation { Name = "ok", Environment = new Dictionary<string, string> { ["LD_PRELOAD=x"] = "y" } });
        await badName.Should().ThrowAsync<ScriptRefusedException>();
        var tooLong = () => Runner().RunAsync(new ScriptInvocation { Name = "ok", Timeout = TimeSpan.FromDays(1) });
        await tooLong.Should().ThrowAsync<ScriptRefusedException>();
    }

    [Theory]
    [InlineData("PATH")]
    [InlineData("LANG")]
    [InlineData("LD_PRELOAD")]
    [InlineData("LD_LIBRARY_PATH")]
    [InlineData("BASH_ENV")]
    [InlineData("ENV")]
    [InlineData("IFS")]
    [InlineData("HOME")]
    public async Task Names_that_change_what_runs_are_refused_naming_the_variable_and_the_script_not_started(string name)
    {
        var marker = _temp.Combine("ran");
        Script("mark", $"touch '{marker}'");

        // Even a configuration that lists every other letter cannot admit these names.
        var run = () => Runner(prefixes: ["UDC_", "PG", "ORACLE_"]).RunAsync(new ScriptInvocation { Name = "mark", Environment = new Dictionary<string, string> { [name] = "/tmp/x" } });

        await run.Should().ThrowAsync<ScriptRefusedException>().WithMessage($"*'{name}'*");
        File.Exists(marker).Should().BeFalse("a refused call starts nothing");
    }

    [Fact]
    public async Task A_name_without_an_allowed_prefix_is_refused_and_allowed_names_reach_the_script()
    {
        Script("show", "echo \"$UDC_MODE $PGDATABASE\"");
        var outside = () => Runner().RunAsync(new ScriptInvocation { Name = "show", Environment = new Dictionary<string, string> { ["BACKUP_MODE"] = "full" } });
        await outside.Should().ThrowAsync<ScriptRefusedException>().WithMessage("*'BACKUP_MODE'*UDC_, PG*");

        var result = await Runner().RunAsync(new ScriptInvocation
        {
            Name = "show",
            Environment = new Dictionary<string, string> { ["UDC_MODE"] = "full", ["PGDATABASE"] = "portal" },
        });
        result.StandardOutput.Should().Be("full portal\n");
    }

    [Fact]
    public async Task A_configured_extra_prefix_admits_its_names_only_where_configured()
    {
        Script("oracle", "echo \"sid=$ORACLE_SID\"");
        var invocation = new ScriptInvocation { Name = "oracle", Environment = new Dictionary<string, string> { ["ORACLE_SID"] = "ORCL" } };

        var byDefault = () => Runner().RunAsync(invocation);
        await byDefault.Should().ThrowAsync<ScriptRefusedException>().WithMessage("*'ORACLE_SID'*");
        (await Runner(prefixes: ["UDC_", "PG", "ORACLE_"]).RunAsync(invocation)).StandardOutput.Should().Be("sid=ORCL\n");
    }

    [Theory]
    [InlineData("LD_")]
    [InlineData("LD_LIB")]
    [InlineData("L")]
    [InlineData("P")]
    [InlineData("BASH_")]
    [InlineData("")]
    [InlineData("udc_")]
    public void A_prefix_that_would_admit_a_protected_name_is_refused_at_start(string prefix)
    {
        var create = () => Runner(prefixes: ["UDC_", prefix]);
        create.Should().Throw<ArgumentException>().WithMessage($"*prefix '{prefix}'*");
    }

    [Fact]
    public void The_disk_agent_configuration_lists_the_prefixes_and_one_admitting_the_loader_is_refused_at_start()
    {
        string Config(string prefixes)
        {
            var path = _temp.Combine($"agent-{Guid.NewGuid():N}.json");
            File.WriteAllText(path, $$"""
                { "credentialsFolder": "{{_temp.Path}}", "scriptFolder": "{{_scripts}}", "auditLogPath": "{{_temp.Combine("audit.jsonl")}}"{{prefixes}} }
                """);
            return path;
        }

        DiskAgentOptions.Load(Config(string.Empty)).ScriptEnvironmentPrefixes.Should().Equal("UDC_", "PG");
        DiskAgentOptions.Load(Config(""", "scriptEnvironmentPrefixes": ["UDC_", "PG", "ORACLE_"]""")).ScriptEnvironmentPrefixes.Should().Equal("UDC_", "PG", "ORACLE_");
        var load = () => DiskAgentOptions.Load(Config(""", "scriptEnvironmentPrefixes": ["UDC_", "LD_"]"""));
        load.Should().Throw<ArgumentException>().WithMessage("*configuration is invalid*prefix 'LD_' would admit LD_*");
    }

    private static async Task<bool> IsDeadWithinAsync(int pid, TimeSpan deadline)
    {
        // Dead means gone, or a zombie waiting for its new parent to reap it.
        var until = DateTime.UtcNow + deadline;
        while (DateTime.UtcNow < until)
        {
            string stat;
            try
            {
                stat = await File.ReadAllTextAsync($"/proc/{pid}/stat");
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or IOException)
            {
                return true;
            }

            if (stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z'))
            {
                return true;
            }

            await Task.Delay(20);
        }

        return false;
    }

    private async Task Refused(string name, string pattern)
    {
        var run = () => Runner().RunAsync(new ScriptInvocation { Name = name });
        await run.Should().ThrowAsync<ScriptRefusedException>().WithMessage(pattern);
    }
}

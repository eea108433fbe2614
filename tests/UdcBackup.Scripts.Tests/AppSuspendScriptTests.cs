using System.Diagnostics;
using System.Globalization;
using UdcBackup.Scripts.Tests.Fixtures;

namespace UdcBackup.Scripts.Tests;

/// <summary>
/// The application-suspend pair on real processes: pre-backup must leave them stopped (state T in
/// /proc/PID/stat) and post-backup running again, both idempotent.
/// </summary>
public sealed class AppSuspendScriptTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("udc-suspend-").FullName;
    private readonly List<Process> _started = [];

    public void Dispose()
    {
        foreach (var process in _started)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
        }

        Directory.Delete(_root, recursive: true);
    }

    private int StartApplication(string script)
    {
        var process = Process.Start(new ProcessStartInfo("bash", ["-c", script]) { UseShellExecute = false })!;
        _started.Add(process);
        return process.Id;
    }

    private Dictionary<string, string> Env(string pidFile, params (string Key, string Value)[] more)
    {
        var env = new Dictionary<string, string>
        {
            ["UDC_SUSPEND_PIDFILES"] = pidFile,
            ["UDC_STATE_DIR"] = Path.Combine(_root, "state"),
        };
        foreach (var (key, value) in more)
        {
            env[key] = value;
        }

        return env;
    }

    private string PidFile(int pid)
    {
        var file = Path.Combine(_root, $"app-{pid}.pid");
        File.WriteAllText(file, pid.ToString(CultureInfo.InvariantCulture) + "\n");
        return file;
    }

    [Fact]
    public async Task Pre_backup_stops_the_process_and_post_backup_resumes_it_both_idempotent()
    {
        var pid = StartApplication("while :; do sleep 0.05; done");
        var env = Env(PidFile(pid));

        var suspend = await ShippedScripts.RunAsync("app-suspend/pre-backup", env);
        ProcessState.Of(pid).Should().Be('T', suspend.ToString());
        (await ShippedScripts.RunAsync("app-suspend/pre-backup", env)).ExitCode.Should().Be(0);
        ProcessState.Of(pid).Should().Be('T');

        var resume = await ShippedScripts.RunAsync("app-suspend/post-backup", env);
        resume.ExitCode.Should().Be(0, resume.ToString());
        ProcessState.Of(pid).Should().NotBe('T');
        (await ShippedScripts.RunAsync("app-suspend/post-backup", env)).ExitCode.Should().Be(0);
        ProcessState.IsRunning(pid).Should().BeTrue();
        ProcessState.Of(pid).Should().NotBe('T');
    }

    [Fact]
    public async Task With_tree_the_children_are_suspended_and_resumed_too()
    {
        var childFile = Path.Combine(_root, "child.pid");
        var pid = StartApplication($"sleep 600 & echo $! > {childFile}; wait");
        await ShippedScripts.WaitUntilAsync(() => Task.FromResult(File.Exists(childFile) && File.ReadAllText(childFile).EndsWith('\n')), TimeSpan.FromSeconds(10), "the child");
        var child = int.Parse(File.ReadAllText(childFile), CultureInfo.InvariantCulture);
        var env = Env(PidFile(pid), ("UDC_SUSPEND_TREE", "1"));

        (await ShippedScripts.RunAsync("app-suspend/pre-backup", env)).ExitCode.Should().Be(0);
        ProcessState.Of(child).Should().Be('T');
        ProcessState.Of(pid).Should().Be('T');

        (await ShippedScripts.RunAsync("app-suspend/post-backup", env)).ExitCode.Should().Be(0);
        ProcessState.Of(child).Should().NotBe('T');
        ProcessState.Of(pid).Should().NotBe('T');
    }

    [Fact]
    public async Task Resume_works_from_the_record_even_when_the_pid_file_is_gone()
    {
        var pid = StartApplication("while :; do sleep 0.05; done");
        var pidFile = PidFile(pid);
        (await ShippedScripts.RunAsync("app-suspend/pre-backup", Env(pidFile))).ExitCode.Should().Be(0);
        File.Delete(pidFile);

        var resume = await ShippedScripts.RunAsync("app-suspend/post-backup", Env(pidFile));

        resume.ExitCode.Should().Be(0, resume.ToString());
        ProcessState.Of(pid).Should().NotBe('T');
    }

    [Fact]
    public async Task A_missing_pid_file_or_configuration_is_a_configuration_error()
    {
        var missing = await ShippedScripts.RunAsync("app-suspend/pre-backup", Env(Path.Combine(_root, "none.pid")));
        var unconfigured = await ShippedScripts.RunAsync("app-suspend/pre-backup", new Dictionary<string, string> { ["UDC_STATE_DIR"] = _root });

        missing.ExitCode.Should().Be(2, missing.ToString());
        missing.Stderr.Should().Contain("does not exist");
        unconfigured.ExitCode.Should().Be(2);
        unconfigured.Stderr.Should().Contain("nothing to suspend");
    }
}

using System.Diagnostics;
using UdcBackup.ScriptContract;

namespace UdcBackup.Agents.Disk;

/// <summary>
/// Runs a protected system's pre/post scripts, and only those: a script is named, never given as a
/// path or command line. The name follows <see cref="ScriptName"/> (the rule the controller applies
/// too): '/'-separated segments such as <c>postgresql/pre-backup</c>, each starting with a letter
/// or digit, so no absolute, empty, hidden, "." or ".." segment. The file, with every symbolic link resolved, must be a regular, executable
/// file inside the resolved script folder and not writable by group or others (otherwise anyone
/// with that access could change what the agent runs as its user). The script is executed
/// directly (no shell) with the caller's arguments as separate argv entries and an environment
/// made only of the agent's PATH and LANG and the caller's variables, each of which must pass
/// <see cref="ScriptRunnerEnvironment"/> (allowed prefixes; never PATH, LD_*, BASH_ENV ...; bounded sizes);
/// standard input is empty. Output is captured
/// up to a bound per stream. On timeout or cancellation the whole process tree is killed and the
/// result says so (exit code -1). A refused request raises <see cref="ScriptRefusedException"/>
/// before anything runs.
/// </summary>
public sealed partial class ScriptRunner
{
    private static readonly TimeSpan OutputGrace = TimeSpan.FromSeconds(2);
    private readonly ScriptRunnerOptions _options;
    private readonly string _folder;
    private readonly TimeProvider _time;

    public ScriptRunner(ScriptRunnerOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Validated();
        _folder = RealPath.Resolve(_options.ScriptFolder);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Checks the name and returns the script's resolved path; throws <see cref="ScriptRefusedException"/>.</summary>
    public string Resolve(string name)
    {
        if (!IsValidName(name))
        {
            throw new ScriptRefusedException($"'{name}' is not a script name: use {ScriptName.Description}");
        }

        var path = RealPath.Resolve(Path.Join(_folder, name));
        if (!RealPath.IsInside(path, _folder))
        {
            throw new ScriptRefusedException($"Script '{name}' resolves to {path}, outside the script folder {_folder}");
        }

        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new ScriptRefusedException($"Script '{name}' does not exist in {_folder}");
        }

        var mode = info.UnixFileMode;
        if ((mode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) == 0)
        {
            throw new ScriptRefusedException($"Script '{name}' is not executable (chmod +x it)");
        }

        if ((mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
        {
            throw new ScriptRefusedException($"Script '{name}' is writable by group or others; make it writable by its owner only");
        }

        return path;
    }

    /// <summary>True when <paramref name="name"/> follows the naming rule in the class summary.</summary>
    public static bool IsValidName(string? name) => ScriptName.IsValid(name);

    /// <summary>Runs the script and returns its result; see the class summary for the rules.</summary>
    public async Task<ScriptResult> RunAsync(ScriptInvocation invocation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var path = Resolve(invocation.Name);
        var timeout = invocation.Timeout ?? _options.DefaultTimeout;
        if (timeout <= TimeSpan.Zero || timeout > _options.MaxTimeout)
        {
            throw new ScriptRefusedException($"Timeout {timeout} is outside (0, {_options.MaxTimeout}]");
        }

        var info = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _folder,
        };
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Contains('\0', StringComparison.Ordinal))
            {
                throw new ScriptRefusedException("Arguments may not contain NUL characters");
            }

            info.ArgumentList.Add(argument);
        }

        info.Environment.Clear();
        info.Environment["PATH"] = _options.SearchPath;
        info.Environment["LANG"] = "C.UTF-8";
        if (ScriptRunnerEnvironment.Refusal(invocation.Environment, _options.EnvironmentPrefixes) is { } refusal)
        {
            throw new ScriptRefusedException(refusal);
        }

        foreach (var (name, value) in invocation.Environment)
        {
            info.Environment[name] = value;
        }

        return await StartAndWaitAsync(info, invocation.Name, timeout, cancellationToken);
    }

    private async Task<ScriptResult> StartAndWaitAsync(ProcessStartInfo info, string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        using var process = new Process { StartInfo = info };
        process.Start();
        process.StandardInput.Close();
        var stdout = new BoundedCapture(_options.MaxCapturedBytes);
        var stderr = new BoundedCapture(_options.MaxCapturedBytes);
        using var readers = new CancellationTokenSource();
        var reading = Task.WhenAll(
            stdout.ReadToEndAsync(process.StandardOutput.BaseStream, readers.Token),
            stderr.ReadToEndAsync(process.StandardError.BaseStream, readers.Token));

        var timedOut = false;
        using (var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            limit.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                timedOut = true;
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }

        // A descendant that left the process tree may still hold the pipes open; do not wait for
        // it forever.
        if (await Task.WhenAny(reading, Task.Delay(OutputGrace, _time, CancellationToken.None)) != reading)
        {
            await readers.CancelAsync();
        }

        try
        {
            await reading;
        }
        catch (OperationCanceledException)
        {
            // Output cut short by the grace period; what was read is kept.
        }

        cancellationToken.ThrowIfCancellationRequested();
        return new ScriptResult(
            name,
            timedOut ? -1 : process.ExitCode,
            stdout.Text(),
            stderr.Text(),
            stdout.Truncated || stderr.Truncated,
            timedOut,
            _time.GetElapsedTime(started));
    }
}

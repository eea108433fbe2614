using UdcBackup.Firewall.Processes;

namespace UdcBackup.Firewall.Templates;

/// <summary>
/// Windows through operator-configured commands (see <see cref="CommandTemplateOptions"/> for the
/// placeholders and output contracts). Commands run with argument arrays, never a shell. Close
/// first lists the windows and runs the close command only when the window's tag is still
/// listed, so closing twice is harmless even if the external command is not idempotent. A
/// command that fails, or prints a handle with unexpected characters, raises
/// <see cref="FirewallException"/> with its exit code and error output.
/// </summary>
public sealed class CommandTemplateFirewall : IFirewall
{
    private readonly CommandTemplateOptions _options;
    private readonly ICommandRunner _runner;
    private readonly TimeProvider _time;

    public CommandTemplateFirewall(CommandTemplateOptions options, ICommandRunner? runner = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Validated();
        _runner = runner ?? new ProcessCommandRunner();
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public string Name => _options.Name;

    /// <inheritdoc />
    public async Task<FirewallWindow> OpenWindowAsync(FirewallWindowRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await RunAsync(_options.Open, CommandTemplate.ValuesOf(request), $"open {request}", cancellationToken);
        var handle = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? string.Empty;
        if (handle.Length > 0 && !CommandTemplate.IsSafeHandle(handle))
        {
            throw new FirewallException($"Firewall '{Name}': the open command printed '{handle}', which is not a usable rule handle");
        }

        return new FirewallWindow(Name, request.Tag, handle, request);
    }

    /// <inheritdoc />
    public async Task CloseWindowAsync(FirewallWindow window, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(window);
        var open = await ListWindowsAsync(window.Tag, cancellationToken);
        if (!open.Any(w => w.Tag == window.Tag && (window.Handle.Length == 0 || w.Handle.Length == 0 || w.Handle == window.Handle)))
        {
            return;
        }

        var jobId = JobTag.TryParse(window.Tag) ?? throw new ArgumentException($"'{window.Tag}' is not a window tag", nameof(window));
        if (window.Handle.Length > 0 && !CommandTemplate.IsSafeHandle(window.Handle))
        {
            throw new ArgumentException($"'{window.Handle}' is not a usable rule handle", nameof(window));
        }

        var values = window.Request is null
            ? new Dictionary<string, string>(StringComparer.Ordinal) { ["job"] = jobId, ["tag"] = window.Tag }
            : CommandTemplate.ValuesOf(window.Request);
        values["handle"] = window.Handle;
        foreach (var name in CommandTemplate.WindowPlaceholders)
        {
            values.TryAdd(name, string.Empty);
        }

        await RunAsync(_options.Close, values, $"close window {window.Tag}", cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<FirewallWindow>> ListWindowsAsync(string tagPrefix = JobTag.Prefix, CancellationToken cancellationToken = default)
    {
        JobTag.ValidatePrefix(tagPrefix);
        var values = new Dictionary<string, string>(StringComparer.Ordinal) { ["prefix"] = tagPrefix };
        var result = await RunAsync(_options.List, values, "list windows", cancellationToken);
        var windows = new List<FirewallWindow>();
        foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            var tag = parts[0];
            if (!tag.StartsWith(tagPrefix, StringComparison.Ordinal) || JobTag.TryParse(tag) is null)
            {
                continue;
            }

            var handle = parts.Length > 1 && CommandTemplate.IsSafeHandle(parts[1]) ? parts[1] : string.Empty;
            windows.Add(new FirewallWindow(Name, tag, handle, null));
        }

        return windows;
    }

    /// <inheritdoc />
    public async Task<FirewallSnapshot> SnapshotAsync(CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(_options.Snapshot, new Dictionary<string, string>(), "print the rule set", cancellationToken);
        return new FirewallSnapshot(Name, result.StandardOutput, _time.GetUtcNow());
    }

    private async Task<CommandResult> RunAsync(IList<string> template, IReadOnlyDictionary<string, string> values, string what, CancellationToken cancellationToken)
    {
        var arguments = CommandTemplate.Render(template, values);
        var result = await _runner.RunAsync(arguments, null, cancellationToken);
        if (!result.Succeeded)
        {
            throw new FirewallException(
                $"Firewall '{Name}': could not {what}: {CommandTemplate.Describe(arguments)} exited with {result.ExitCode}: {result.StandardError.Trim()}");
        }

        return result;
    }
}

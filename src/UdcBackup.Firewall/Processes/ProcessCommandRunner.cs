using System.Diagnostics;

namespace UdcBackup.Firewall.Processes;

/// <summary>
/// Runs firewall commands as child processes with an argument list, so no value is ever
/// interpreted by a shell. A command that outlives <see cref="Timeout"/> (or is cancelled) is
/// killed with its process tree and reported as a <see cref="FirewallException"/>; output is
/// captured in full because firewall commands print little.
/// </summary>
public sealed class ProcessCommandRunner : ICommandRunner
{
    public ProcessCommandRunner(TimeSpan? timeout = null)
    {
        Timeout = timeout ?? TimeSpan.FromSeconds(30);
    }

    /// <summary>Longest time one command may run.</summary>
    public TimeSpan Timeout { get; }

    /// <inheritdoc />
    public async Task<CommandResult> RunAsync(IReadOnlyList<string> arguments, string? standardInput = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (arguments.Count == 0 || string.IsNullOrEmpty(arguments[0]))
        {
            throw new ArgumentException("A command needs at least the program to run", nameof(arguments));
        }

        var info = new ProcessStartInfo(arguments[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new FirewallException($"Cannot start '{arguments[0]}': {ex.Message}", ex);
        }

        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput.AsMemory(), cancellationToken);
        }

        process.StandardInput.Close();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            throw new FirewallException($"'{string.Join(' ', arguments)}' did not finish within {Timeout.TotalSeconds:0.#} s and was killed");
        }

        return new CommandResult(arguments.ToArray(), process.ExitCode, await stdout, await stderr);
    }
}

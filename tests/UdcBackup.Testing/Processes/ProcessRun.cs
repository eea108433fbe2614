using System.Diagnostics;

namespace UdcBackup.Testing.Processes;

/// <summary>
/// Runs a setup command (ip, nft, sysctl ...) with an argument array and fails with its output
/// when it exits non-zero, so a broken fixture says which step broke.
/// </summary>
public static class ProcessRun
{
    /// <summary>Runs the command, returns standard output; throws on non-zero exit or after the timeout.</summary>
    public static async Task<string> CheckedAsync(IReadOnlyList<string> arguments, string? input = null, TimeSpan? timeout = null)
    {
        var (code, stdout, stderr) = await RunAsync(arguments, input, timeout);
        if (code != 0)
        {
            throw new InvalidOperationException($"'{string.Join(' ', arguments)}' exited with {code}: {stderr.Trim()}");
        }

        return stdout;
    }

    /// <summary>Runs the command and returns exit code and output without judging them.</summary>
    public static async Task<(int ExitCode, string StandardOutput, string StandardError)> RunAsync(IReadOnlyList<string> arguments, string? input = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var info = new ProcessStartInfo(arguments[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments.Skip(1))
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Cannot start {arguments[0]}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{string.Join(' ', arguments)}' did not finish in time");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}

using System.Diagnostics;

namespace UdcBackup.Scripts.Tests.Fixtures;

/// <summary>
/// Runs a program to completion with a deadline and captures its output. On the deadline the
/// whole process tree is killed and a <see cref="TimeoutException"/> says which command hung.
/// </summary>
public static class Command
{
    public static async Task<CommandResult> RunAsync(string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in env ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var text = fileName + " " + string.Join(' ', info.ArgumentList);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {text}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{text} did not finish within {timeout ?? TimeSpan.FromSeconds(60)}; stderr so far: {await stderr}");
        }

        return new CommandResult(text, process.ExitCode, await stdout, await stderr);
    }

    public static async Task<CommandResult> RunCheckedAsync(string fileName, params string[] args)
    {
        var result = await RunAsync(fileName, args);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(result.ToString());
        }

        return result;
    }
}

using System.Diagnostics;

namespace UdcBackup.Server.Tests.Infrastructure;

/// <summary>Runs the <c>udc</c> CLI in-process (fast) or as a child process (exact exit codes and streams).</summary>
public static class CliRun
{
    public static async Task<CliResult> InProcessAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await UdcBackup.Cli.CliApp.RunAsync(args, output, error);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    public static async Task<CliResult> ChildAsync(string[] args, IDictionary<string, string>? environment = null)
    {
        using var process = Process.Start(UdcBinary.StartInfo(args, environment))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}

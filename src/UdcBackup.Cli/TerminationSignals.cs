using System.Runtime.InteropServices;

namespace UdcBackup.Cli;

/// <summary>
/// SIGINT/SIGTERM handling of the <c>udc</c> process, registered in <c>Program</c> before any
/// command runs. The first signal cancels <see cref="Token"/> (the running command stops and picks
/// its own exit code: 0 for an agent or the server that stopped cleanly) and starts the grace
/// period; a command still running when the grace ends is forced out with the signal's
/// conventional exit code (130 for SIGINT, 143 for SIGTERM). Later signals change nothing.
/// The command library's own handling is not used: it registers only once the command's
/// synchronous start has returned, so a service that announces itself before its first
/// asynchronous wait could be signalled while no handler existed and died with the default
/// action (exit 143) instead of stopping cleanly.
/// </summary>
internal sealed class TerminationSignals : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly TimeSpan _grace;
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private int _signalled;

    private TerminationSignals(TimeSpan grace)
    {
        _grace = grace;
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Cancelled at the first SIGINT or SIGTERM.</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>Takes over SIGINT and SIGTERM for this process; a command gets <paramref name="grace"/> to stop.</summary>
    public static TerminationSignals Register(TimeSpan grace) => new(grace);

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _stop.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        // Never the default action (immediate death): the command stops itself, or the grace ends.
        context.Cancel = true;
        if (Interlocked.Exchange(ref _signalled, 1) == 1)
        {
            return;
        }

        var forcedExitCode = context.Signal == PosixSignal.SIGINT ? 130 : 143;
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            return; // the signal raced the end of the process: nothing left to stop
        }

        _ = ForceExitAfterGraceAsync(forcedExitCode);
    }

    private async Task ForceExitAfterGraceAsync(int exitCode)
    {
        await Task.Delay(_grace).ConfigureAwait(false);
        await Console.Error.WriteLineAsync($"udc: still running {_grace.TotalSeconds:0} s after the stop signal; exiting with {exitCode}").ConfigureAwait(false);
        Environment.Exit(exitCode);
    }
}

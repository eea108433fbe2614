namespace UdcBackup.Firewall.Processes;

/// <summary>Runs one program with an argument array (never through a shell).</summary>
public interface ICommandRunner
{
    /// <summary>
    /// Runs <paramref name="arguments"/>[0] with the rest as its arguments, writes
    /// <paramref name="standardInput"/> (if any) to its input, and returns its exit code and output.
    /// </summary>
    Task<CommandResult> RunAsync(IReadOnlyList<string> arguments, string? standardInput = null, CancellationToken cancellationToken = default);
}

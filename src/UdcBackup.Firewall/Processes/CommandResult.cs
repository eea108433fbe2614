namespace UdcBackup.Firewall.Processes;

/// <summary>Exit code and captured output of one command.</summary>
public sealed record CommandResult(IReadOnlyList<string> Arguments, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>True for exit code 0.</summary>
    public bool Succeeded => ExitCode == 0;

    /// <summary>The command line for messages (arguments joined by spaces; never executed as text).</summary>
    public string CommandLine => string.Join(' ', Arguments);
}

namespace UdcBackup.Testing;

/// <summary>What a CLI run produced.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}{Environment.NewLine}stdout: {Stdout}{Environment.NewLine}stderr: {Stderr}";
}

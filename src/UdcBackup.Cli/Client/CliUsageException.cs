namespace UdcBackup.Cli.Client;

/// <summary>Input rejected before anything was sent (bad JSON in <c>--input</c>, a bad URL): exit code 2.</summary>
public sealed class CliUsageException : Exception
{
    public CliUsageException(string message)
        : base(message)
    {
    }
}

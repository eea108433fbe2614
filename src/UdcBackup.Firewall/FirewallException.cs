namespace UdcBackup.Firewall;

/// <summary>
/// A firewall operation failed or the firewall is not in the state the project expects (missing
/// managed chain, unexpected command output). The message names the firewall and the step.
/// </summary>
public sealed class FirewallException : Exception
{
    public FirewallException(string message)
        : base(message)
    {
    }

    public FirewallException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

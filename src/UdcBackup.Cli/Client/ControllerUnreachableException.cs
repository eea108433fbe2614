namespace UdcBackup.Cli.Client;

/// <summary>No answer from the controller at all (refused, unknown host, timeout).</summary>
public sealed class ControllerUnreachableException : Exception
{
    public ControllerUnreachableException(Uri server, Exception inner)
        : base($"cannot reach the controller at {server} ({inner.Message}). Is `udc server` running there? Set --server or UDC_SERVER to its address.", inner)
    {
        Server = server;
    }

    public Uri Server { get; }
}

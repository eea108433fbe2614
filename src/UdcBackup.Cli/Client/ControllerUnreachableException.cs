using System.Security.Authentication;

namespace UdcBackup.Cli.Client;

/// <summary>
/// No answer from the controller's API at all: refused, unknown host, timeout, or an address where
/// something else listens (a TLS port reached with http://, a plain one with https://, an agent).
/// </summary>
public sealed class ControllerUnreachableException : Exception
{
    public ControllerUnreachableException(Uri server, Exception inner)
        : this($"cannot reach the controller at {server} ({inner?.Message}). Is `udc server` running there? Set --server or UDC_SERVER to its address.", server, inner)
    {
    }

    private ControllerUnreachableException(string message, Uri server, Exception? inner)
        : base(message, inner)
    {
        Server = server;
    }

    public Uri Server { get; }

    /// <summary>A connection was made but what answered does not speak the API's HTTP (or TLS) there.</summary>
    public static ControllerUnreachableException NotTheApi(Uri server, HttpRequestException inner)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(inner);
        var reason = Innermost(inner).Message;
        var other = server.Scheme == Uri.UriSchemeHttps ? "http" : "https";
        var message = inner.HttpRequestError is HttpRequestError.SecureConnectionError || inner.InnerException is AuthenticationException
            ? $"the TLS connection to {server} failed ({reason}). Is the controller's API served there with {other}://, or is its certificate not trusted on this host?"
            : $"what answers at {server} is not the controller's API ({reason}). Is it another service there (the agents' listener, a media agent) or does it take {other}://?";
        return new ControllerUnreachableException(
            $"{message} Set --server or UDC_SERVER to the API's address (the controller's --urls; http://127.0.0.1:5080 by default).",
            server,
            inner);
    }

    /// <summary>The same, met while following <paramref name="runId"/>: says the run goes on and how to follow it again.</summary>
    public ControllerUnreachableException WhileFollowing(string runId) =>
        new(
            $"stopped following {runId}: {Message} The run is kept in the controller's store and goes on when the controller is back; udc jobs show {runId} follows it again.",
            Server,
            this);

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;
}

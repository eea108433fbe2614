using System.Net;
using System.Net.Sockets;

namespace UdcBackup.Firewall;

/// <summary>
/// What a window admits: connections of <see cref="Protocol"/> from <see cref="Source"/> to
/// <see cref="Destination"/> on <see cref="Port"/>, tagged with the job that needs it.
/// Every value is typed and validated here so that no implementation ever places unchecked text
/// into a rule or a command line.
/// </summary>
public sealed record FirewallWindowRequest
{
    public FirewallWindowRequest(int port, IPAddress source, IPAddress destination, string jobId, TransportProtocol protocol = TransportProtocol.Tcp)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(port), port, "The designated port must be between 1 and 65535");
        }

        if (source.AddressFamily != destination.AddressFamily)
        {
            throw new ArgumentException($"Source {source} and destination {destination} must both be IPv4 or both IPv6", nameof(destination));
        }

        if (source.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"Address {source} is neither IPv4 nor IPv6", nameof(source));
        }

        JobTag.Validate(jobId);
        Port = port;
        Source = source;
        Destination = destination;
        JobId = jobId;
        Protocol = protocol;
    }

    /// <summary>The designated port on the destination.</summary>
    public int Port { get; }

    /// <summary>The system that opens connections (e.g. the protected system's disk agent).</summary>
    public IPAddress Source { get; }

    /// <summary>The agent that accepts them (e.g. the media agent in the controller zone).</summary>
    public IPAddress Destination { get; }

    /// <summary>The job the window belongs to; it becomes the rule's tag.</summary>
    public string JobId { get; }

    /// <summary>The transport protocol admitted.</summary>
    public TransportProtocol Protocol { get; }

    /// <summary>The tag (<c>udc:job=&lt;id&gt;</c>) the rule carries.</summary>
    public string Tag => JobTag.Prefix + JobId;

    /// <summary>True for IPv6 endpoints.</summary>
    public bool IsIPv6 => Source.AddressFamily == AddressFamily.InterNetworkV6;

    public override string ToString() => $"{Protocol.ToString().ToUpperInvariant()} {Source} -> {Destination}:{Port} [{Tag}]";
}

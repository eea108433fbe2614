namespace UdcBackup.Firewall;

/// <summary>Transport protocol a firewall window admits. Only TCP carries agent traffic today.</summary>
public enum TransportProtocol
{
    /// <summary>TCP: every agent connection (HTTP/2 over TLS) uses it.</summary>
    Tcp,
}

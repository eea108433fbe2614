namespace UdcBackup.Agents.Bench;

/// <summary>How <see cref="TransportFloor"/> moves the bytes over the agents' mutual TLS.</summary>
internal enum FloorProtocol
{
    /// <summary>One HTTP/2 request body (16 KiB DATA frames, flow control).</summary>
    Http2,

    /// <summary>One HTTP/1.1 request body in chunked encoding.</summary>
    Http11Chunked,

    /// <summary>HTTP/1.1 upgraded (101) to the bare TLS connection: no HTTP framing of the bytes.</summary>
    Http11Upgrade,
}

using System.Net;

namespace UdcBackup.Agents.Disk;

/// <summary>The media agent refused or failed a transfer; carries its HTTP status and reason.</summary>
public sealed class MediaTransferRefusedException : Exception
{
    public MediaTransferRefusedException(HttpStatusCode status, string message)
        : base(message)
    {
        Status = status;
    }

    /// <summary>The media agent's answer (403 refused, 400 broken stream ...).</summary>
    public HttpStatusCode Status { get; }
}

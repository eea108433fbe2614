using System.Net;

namespace UdcBackup.Agents.Disk;

/// <summary>The media agent refused or failed a transfer; carries its HTTP status, reason and problem type.</summary>
public sealed class MediaTransferRefusedException : Exception
{
    public MediaTransferRefusedException(HttpStatusCode status, string message, string? problemType = null, Exception? inner = null)
        : base(message, inner)
    {
        Status = status;
        ProblemType = problemType;
    }

    /// <summary>The media agent's answer (403 refused, 400 broken stream ...).</summary>
    public HttpStatusCode Status { get; }

    /// <summary>The problem <c>type</c> of the media agent's failure (<see cref="Hosting.AgentProblemTypes"/>), or null.</summary>
    public string? ProblemType { get; }
}

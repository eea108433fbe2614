namespace UdcBackup.Agents.Media.Sessions;

/// <summary>A session request that cannot proceed, with the HTTP status that says why (404, 409, 400).</summary>
public sealed class SessionException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}

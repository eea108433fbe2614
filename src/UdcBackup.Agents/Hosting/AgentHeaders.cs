namespace UdcBackup.Agents.Hosting;

/// <summary>HTTP headers of the agent protocol.</summary>
public static class AgentHeaders
{
    /// <summary>Carries the job token on stream requests to a media agent.</summary>
    public const string JobToken = "X-Udc-Job-Token";

    /// <summary>Content type of the framed entry stream.</summary>
    public const string EntryStreamContentType = "application/vnd.udc.entry-stream";
}

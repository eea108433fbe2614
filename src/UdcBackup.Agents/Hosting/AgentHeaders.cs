namespace UdcBackup.Agents.Hosting;

/// <summary>HTTP headers of the agent protocol.</summary>
public static class AgentHeaders
{
    /// <summary>Carries the job token on stream requests to a media agent.</summary>
    public const string JobToken = "X-Udc-Job-Token";

    /// <summary>Carries the session epoch (from the open) on a stream into a backup session.</summary>
    public const string SessionEpoch = "X-Udc-Session-Epoch";

    /// <summary>
    /// On a restore request: the highest entry stream version the requesting disk agent reads;
    /// the media agent answers in the highest version both know, and in version 1 without it.
    /// </summary>
    public const string EntryStreamVersion = "X-Udc-Entry-Stream-Version";

    /// <summary>
    /// The protocol named in <c>Upgrade</c> when an entry stream is sent on the bare connection:
    /// the media agent answers 101 and the entry stream follows with no HTTP framing, then the
    /// media agent's one-line JSON reply (<c>StreamReply</c>) comes back on the same connection.
    /// </summary>
    public const string EntryStreamUpgrade = "udc-entry-stream";

    /// <summary>Content type of the controller's progress answers: one JSON object per line.</summary>
    public const string NdJsonContentType = "application/x-ndjson";

    /// <summary>Content type of the framed entry stream.</summary>
    public const string EntryStreamContentType = "application/vnd.udc.entry-stream";
}

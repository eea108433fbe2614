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

    /// <summary>
    /// A trailer of a restore stream (HTTP/2) that failed after it began: the problem type of the
    /// failure (<see cref="AgentProblemTypes"/>). The stream then ends without its end frame, so a
    /// reader that does not know the trailer still sees it broken.
    /// </summary>
    public const string ProblemType = "X-Udc-Problem-Type";

    /// <summary>The trailer beside <see cref="ProblemType"/>: the failure's detail, URI-escaped (a header value is ASCII).</summary>
    public const string ProblemDetail = "X-Udc-Problem-Detail";

    /// <summary>Content type of the controller's progress answers: one JSON object per line.</summary>
    public const string NdJsonContentType = "application/x-ndjson";

    /// <summary>Content type of the framed entry stream.</summary>
    public const string EntryStreamContentType = "application/vnd.udc.entry-stream";
}

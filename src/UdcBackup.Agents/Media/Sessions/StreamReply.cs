namespace UdcBackup.Agents.Media.Sessions;

/// <summary>
/// The media agent's answer to an entry stream sent on an upgraded connection, written as one JSON
/// line after the stream's end frame (the HTTP status is gone by then): <see cref="Status"/> 200
/// with the <see cref="Receipt"/>, or the status, title, detail and problem <see cref="Type"/> the
/// same failure would have had as problem details on a plain request (400 broken stream, 409
/// session, 500 archive, 507 full repository with <see cref="Hosting.AgentProblemTypes.NoSpace"/>).
/// <see cref="Type"/> came later: a reader that does not know it ignores it, and a reply without
/// it reads as null (no type).
/// </summary>
public sealed record StreamReply(int Status, StreamReceipt? Receipt, string? Title = null, string? Detail = null, string? Type = null);

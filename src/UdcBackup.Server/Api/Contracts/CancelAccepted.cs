namespace UdcBackup.Server.Api.Contracts;

/// <summary>
/// Answer of <c>POST /api/workflows/{id}/cancel</c>: the run's one cancel request. A run keeps the
/// first request it got; a later one records nothing (200, <see cref="AlreadyRequested"/>) and
/// answers with when the first was made and its reason (who asked, and why).
/// </summary>
/// <param name="Id">The workflow id.</param>
/// <param name="What">What happened, in words.</param>
/// <param name="AlreadyRequested">True when the run already had a cancel request and nothing was recorded now.</param>
/// <param name="RequestedAt">When the recorded request was made (null only while an earlier one is still being written).</param>
/// <param name="Reason">The recorded request's reason, e.g. "requested by admin".</param>
public sealed record CancelAccepted(string Id, string What, bool AlreadyRequested, DateTime? RequestedAt, string? Reason);

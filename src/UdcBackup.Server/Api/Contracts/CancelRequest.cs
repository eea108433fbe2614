namespace UdcBackup.Server.Api.Contracts;

/// <summary>Body of <c>POST /api/workflows/{id}/cancel</c> (optional).</summary>
public sealed record CancelRequest(string? Reason);

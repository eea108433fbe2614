namespace UdcBackup.Server.Api.Contracts;

/// <summary>Body of <c>POST /api/workflows/{id}/approvals/{node}/approve|reject</c>: an optional note kept in the run's history.</summary>
public sealed record ApprovalRequest(string? Note);

namespace UdcBackup.Server.Flows;

/// <summary>Body of <c>POST /api/flows/{id}/publish</c> (the draft revision that was checked) and of rollback (<see cref="Version"/>).</summary>
public sealed record PublishRequest(int? Revision = null, int? Version = null, string? Note = null);

namespace UdcBackup.Server.Api.Contracts;

/// <summary>Body of <c>POST /api/schedules/{id}/pause</c> and <c>/unpause</c>: why.</summary>
public sealed record ScheduleNoteRequest(string? Note);

namespace UdcBackup.Agents.Media;

/// <summary>
/// Body of <c>POST /v1/restore</c> (the resumable form of <c>GET /v1/restore</c>): include
/// patterns as the <c>include</c> query of the GET, and the files the target already holds.
/// </summary>
public sealed record RestoreStreamRequest
{
    public IReadOnlyList<string> Includes { get; init; } = [];

    public IReadOnlyList<RestoreHeldFile> Held { get; init; } = [];
}

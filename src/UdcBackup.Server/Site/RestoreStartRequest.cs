namespace UdcBackup.Server.Site;

/// <summary>
/// Body of <c>POST /api/restores</c>: the snapshot's system, the snapshot, the target (default the
/// same system), whether the operator approves a restore to another system, and who the operator is;
/// <c>Force</c> starts it even while another run works on the target.
/// </summary>
public sealed record RestoreStartRequest(string System, string Snapshot, string? To, bool Approve, string? Operator, string? MediaAgent, string? Repository, bool Force = false);

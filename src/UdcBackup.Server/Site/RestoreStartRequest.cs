namespace UdcBackup.Server.Site;

/// <summary>
/// Body of <c>POST /api/restores</c>: the snapshot's system, the snapshot, the target (default the
/// same system), whether the operator approves a restore to another system, and who the operator is;
/// <c>Force</c> starts it even while another run works on the target. <c>Into</c>, an absolute
/// folder on the target, restores the snapshot's paths below it (<c>INTO/&lt;original path&gt;</c>)
/// instead of to their original paths; the target's disk agent must have it inside its restore roots.
/// <c>Paths</c>, absolute normalized paths each inside one of the system's data sets, restores only
/// those (a data set restored with replace replaces only below them); null restores every data set.
/// </summary>
public sealed record RestoreStartRequest(
    string System, string Snapshot, string? To, bool Approve, string? Operator, string? MediaAgent, string? Repository, bool Force = false, string? Into = null, IReadOnlyList<string>? Paths = null);

namespace UdcBackup.Server.Auth;

/// <summary>
/// What a signed-in operator may do; each role includes the ones below it. On the wire and in the
/// store the names are lowercase (<c>viewer</c>, <c>operator</c>, <c>admin</c>), see <see cref="RoleNames"/>.
/// </summary>
public enum UserRole
{
    /// <summary>Reads everything (every GET, live streams), changes nothing.</summary>
    Viewer = 1,

    /// <summary>Runs things: starts, cancels and signals workflows, backups, restores and flows; triggers and pauses schedules; saves flow drafts.</summary>
    Operator = 2,

    /// <summary>Changes the configuration: site, schedules, published flows, users, agents, and reads the audit log.</summary>
    Admin = 3,
}

namespace UdcBackup.Agents.Hosting;

/// <summary>
/// The <c>type</c> members of the agents' problem details that the controller acts on
/// (docs/design/agent-protocol.md, "Failure behaviour").
/// </summary>
public static class AgentProblemTypes
{
    /// <summary>
    /// The repository holds damaged data (a pack or snapshot file that does not read back as
    /// written): no retry can pass it; <c>udc archive verify</c> on the media agent's host names it.
    /// </summary>
    public const string DamagedData = "urn:udc-backup:agent-problem:damaged-data";

    /// <summary>
    /// The repository's file system has no space, inodes or quota left (answered 507): no retry can
    /// pass until space is freed there; what was stored completely stays and the next backup reuses it.
    /// </summary>
    public const string NoSpace = "urn:udc-backup:agent-problem:no-space";

    /// <summary>
    /// A restore's target on the disk agent's host has no space, inodes or quota left (answered
    /// 507): no retry can pass until space is freed there. Distinct from <see cref="NoSpace"/>
    /// because the place to free is another host: the restored system, not the media agent's
    /// repository. The files restored so far stay; the restore run again does not fetch them again.
    /// </summary>
    public const string RestoreTargetNoSpace = "urn:udc-backup:agent-problem:restore-target-no-space";
}

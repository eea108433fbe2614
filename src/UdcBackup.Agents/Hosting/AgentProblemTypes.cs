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
}

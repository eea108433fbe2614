using UdcBackup.Server.Flows;
using UdcBackup.Site.Validation;
using UdcBackup.Workflows.Flow;

namespace UdcBackup.Server.Site;

/// <summary>
/// One variable of something stored (the active site version, or a flow's published version)
/// that the controller's current <c>ScriptEnvironmentPrefixes</c> refuse, with where it is and
/// what to change: as <c>/api/health</c> lists it and the start-up check logs it.
/// </summary>
/// <param name="Source"><c>site</c>, <c>flow</c>, or <c>run</c> (a run in progress that carries it from its start, <see cref="RunningRunScriptCheck"/>).</param>
/// <param name="Name">The site's name, the flow's id, or the run's workflow id.</param>
/// <param name="Version">The site version or the flow's published version (a run's: the version it started with; 0 for a restore, whose input does not record it).</param>
/// <param name="SystemId">The system whose script it is (site problems).</param>
/// <param name="NodeId">The flow node whose environment it is (flow problems).</param>
/// <param name="Script">The script's key in the site file (<c>preBackup</c> ...), site problems only.</param>
/// <param name="ScriptName">The script's name, site problems only.</param>
/// <param name="Variable">The refused variable; null for a flow (named in the message) or an environment too large as a whole.</param>
/// <param name="Message">The rule's reason.</param>
/// <param name="Setting">The controller setting that refuses it (<c>ScriptEnvironmentPrefixes</c>).</param>
/// <param name="Summary">"site demo version 3, system db-1, preBackup script db/pre-backup, variable ACME_X: reason", or "flow f version 2 (published), node n: reason".</param>
public sealed record StoredScriptProblem(
    string Source,
    string Name,
    int Version,
    string? SystemId,
    string? NodeId,
    string? Script,
    string? ScriptName,
    string? Variable,
    string Message,
    string Setting,
    string Summary)
{
    public const string SiteSource = "site";

    public const string FlowSource = "flow";

    public const string RunSource = "run";

    public static StoredScriptProblem OfSite(string site, int version, ScriptEnvironmentProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return new(SiteSource, site, version, problem.SystemId, null, problem.Script, problem.ScriptName, problem.Variable, problem.Message, ScriptEnvironmentRefusal.Setting, $"site {site} version {version}, {problem}");
    }

    public static StoredScriptProblem OfFlow(string flow, int version, FlowProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return new(FlowSource, flow, version, null, problem.NodeId, null, null, null, problem.Message, ScriptEnvironmentRefusal.Setting, $"flow {flow} version {version} (published), {FlowEnvironmentCheck.Line(problem)}");
    }
}

using UdcBackup.ScriptContract;
using UdcBackup.Server.Site;
using UdcBackup.Workflows.Flow;

namespace UdcBackup.Server.Flows;

/// <summary>
/// A stored flow definition checked again with the script environment rule in force now: a
/// version published while <c>ScriptEnvironmentPrefixes</c> was wider may carry a script node
/// environment that the controller (and its disk agents) now refuse. Only the environment
/// problems count here (<see cref="FlowProblemCodes.BadEnvironment"/>); the rest of the
/// validation did not change since the version was published. A definition that no longer reads
/// is left to the run, which fails on it by name.
/// </summary>
public static class FlowEnvironmentCheck
{
    /// <summary>The refused script environments of <paramref name="definition"/> (stored JSON), one problem per variable.</summary>
    public static IReadOnlyList<FlowProblem> Problems(string definition, ScriptEnvironmentRule rule)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(rule);
        return FlowValidator.Validate(FlowEndpoints.Json(definition), FlowCatalog.Activities, rule).Problems
            .Where(p => p.Code == FlowProblemCodes.BadEnvironment)
            .ToList();
    }

    /// <summary>"what": the problems, one a line, then the fix.</summary>
    public static string Describe(string what, IReadOnlyCollection<FlowProblem> problems, ScriptEnvironmentRule rule)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return ScriptEnvironmentRefusal.Describe(what, problems.Select(Line).ToList(), rule);
    }

    /// <summary>"node check-1: Environment variable 'ACME_X' is not allowed: ...".</summary>
    public static string Line(FlowProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return $"node {problem.NodeId}: {problem.Message}";
    }
}

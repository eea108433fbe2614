using UdcBackup.ScriptContract;
using UdcBackup.Site.Model;
using UdcBackup.Site.Planning;

namespace UdcBackup.Site.Validation;

/// <summary>
/// Re-checks script calls that were accepted earlier (a stored site version, a planned run)
/// against the script environment rule in force now: the controller's
/// <c>ScriptEnvironmentPrefixes</c> may have been narrowed since the site was applied, and a disk
/// agent would then refuse the call only after the run had opened its firewall window and
/// quiesced earlier systems. Each refused variable is one <see cref="ScriptEnvironmentProblem"/>;
/// when every variable passes but the environment as a whole is too large, one problem without a
/// variable says so. Pure functions of their inputs: no I/O, never throws for a refused call.
/// </summary>
public static class ScriptEnvironmentCheck
{
    /// <summary>Every problem of every script of every system in <paramref name="site"/>, in site order.</summary>
    public static IReadOnlyList<ScriptEnvironmentProblem> Site(SiteDefinition site, ScriptEnvironmentRule rule)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(rule);
        var problems = new List<ScriptEnvironmentProblem>();
        foreach (var system in site.Systems)
        {
            Add(problems, system.Id, ScriptRole.PreBackup, system.Scripts.PreBackup, rule);
            Add(problems, system.Id, ScriptRole.PostBackup, system.Scripts.PostBackup, rule);
            Add(problems, system.Id, ScriptRole.StopPrograms, system.Scripts.StopPrograms, rule);
            Add(problems, system.Id, ScriptRole.StartPrograms, system.Scripts.StartPrograms, rule);
        }

        return problems;
    }

    /// <summary>The problems of the script calls a run of <paramref name="plan"/> would make, in plan order.</summary>
    public static IReadOnlyList<ScriptEnvironmentProblem> Plan(JobPlan plan, ScriptEnvironmentRule rule)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(rule);
        var problems = new List<ScriptEnvironmentProblem>();
        foreach (var step in plan.Steps.Where(s => s.Kind == PlanStepKind.RunScript && s.Script is not null && s.Role is not null))
        {
            Add(problems, step.SystemId ?? string.Empty, step.Role!.Value, step.Script, rule);
        }

        return problems;
    }

    /// <summary>The site file's key of a script role (<c>preBackup</c> ...), as problems and operators name it.</summary>
    public static string KeyOf(ScriptRole role) => role switch
    {
        ScriptRole.PreBackup => "preBackup",
        ScriptRole.PostBackup => "postBackup",
        ScriptRole.StopPrograms => "stopPrograms",
        ScriptRole.StartPrograms => "startPrograms",
        _ => role.ToString(),
    };

    private static void Add(List<ScriptEnvironmentProblem> problems, string systemId, ScriptRole role, ScriptCall? call, ScriptEnvironmentRule rule)
    {
        if (call is null)
        {
            return;
        }

        foreach (var (variable, message) in SiteNames.EnvironmentRefusals(rule, call.Env))
        {
            problems.Add(new ScriptEnvironmentProblem(systemId, KeyOf(role), call.Name, variable, message));
        }
    }
}

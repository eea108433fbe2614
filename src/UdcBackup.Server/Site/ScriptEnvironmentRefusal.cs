using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using UdcBackup.ScriptContract;
using UdcBackup.Site.Validation;

namespace UdcBackup.Server.Site;

/// <summary>
/// How the controller words and answers stored script calls that its current
/// <c>ScriptEnvironmentPrefixes</c> refuse (see <see cref="ScriptEnvironmentCheck"/>): one text
/// naming every problem and the two ways out (change the site or flow, or widen the setting and
/// restart), used alike in start-up warnings, refused run starts (422 problem details with the
/// list in <c>errors</c>) and the failure of a refused scheduled run.
/// </summary>
public static class ScriptEnvironmentRefusal
{
    /// <summary>The setting operators change, as named in <c>udc.json</c>.</summary>
    public const string Setting = "ScriptEnvironmentPrefixes";

    /// <summary>The error type of a run refused for its script environment (not retried).</summary>
    public const string ErrorType = "ScriptEnvironmentRefused";

    /// <summary>What to do about refused variables, after the problem itself.</summary>
    public static string Fix(ScriptEnvironmentRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return $"the controller's {Setting} setting admits only {rule.Describe()} now: remove or rename the variable in the site file (udc site apply) or the flow (publish again), or add its prefix to {Setting} in udc.json (or UDC_SCRIPTENVIRONMENTPREFIXES__N) and restart the controller, so it matches what every disk agent admits";
    }

    /// <summary>"what is refused" on the first line, then one line per problem, then the fix.</summary>
    public static string Describe(string what, IReadOnlyCollection<ScriptEnvironmentProblem> problems, ScriptEnvironmentRule rule)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return Describe(what, problems.Select(p => p.ToString()).ToList(), rule);
    }

    /// <summary>The same for problems already worded (a flow's, which name nodes rather than systems).</summary>
    public static string Describe(string what, IReadOnlyCollection<string> problems, ScriptEnvironmentRule rule)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return $"{what}: {problems.Count} script environment variable(s) are refused by the current rule.{Environment.NewLine}"
            + string.Join(Environment.NewLine, problems.Select(p => $"- {p}"))
            + $"{Environment.NewLine}Fix: {Fix(rule)}.";
    }

    /// <summary>422 problem details naming every problem (<paramref name="errors"/> in the <c>errors</c> member); nothing was started.</summary>
    public static ProblemHttpResult Problem<T>(string what, IReadOnlyList<T> errors, Func<T, string> describe, ScriptEnvironmentRule rule)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return TypedResults.Problem(
            Describe(what + " was not started", errors.Select(describe).ToList(), rule),
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "A script call of this run is refused by the controller's script environment rule.",
            extensions: new Dictionary<string, object?> { ["errors"] = errors });
    }

    /// <summary>422 for a site run (backup or restore).</summary>
    public static ProblemHttpResult Problem(string what, IReadOnlyList<ScriptEnvironmentProblem> problems, ScriptEnvironmentRule rule) =>
        Problem(what, problems, p => p.ToString(), rule);
}

using UdcBackup.ScriptContract;

namespace UdcBackup.Agents.Disk;

/// <summary>
/// The disk agent's view of <see cref="ScriptEnvironmentRule"/>, the rule the controller's site
/// model applies too: the agent does not trust the controller to have filtered the variables, so it
/// checks them again with its own configured prefixes (by default <c>UDC_</c> and <c>PG</c>) before
/// anything runs; protected names (<c>PATH</c>, <c>LD_*</c>, <c>BASH_ENV</c> ...) stay refused
/// whatever the configuration says, and a configured prefix that would admit one of them is refused
/// when the agent starts.
/// </summary>
public static class ScriptRunnerEnvironment
{
    /// <summary>The prefixes allowed when the configuration names none.</summary>
    public static IReadOnlyList<string> DefaultPrefixes => ScriptEnvironmentRule.DefaultPrefixes;

    /// <summary>True when no caller may ever set <paramref name="name"/>.</summary>
    public static bool IsProtected(string name) => ScriptEnvironmentRule.IsProtected(name);

    /// <summary>Why a caller may not set <paramref name="name"/> to <paramref name="value"/>, or null when it may.</summary>
    public static string? Refusal(string name, string value, IReadOnlyList<string> prefixes) =>
        new ScriptEnvironmentRule(prefixes).Refusal(name, value);

    /// <summary>Why <paramref name="environment"/> may not be passed to a script (a variable, or the whole size), or null when it may.</summary>
    public static string? Refusal(IEnumerable<KeyValuePair<string, string>> environment, IReadOnlyList<string> prefixes) =>
        new ScriptEnvironmentRule(prefixes).Refusal(environment);

    /// <summary>Why <paramref name="prefix"/> may not be configured, or null when it may.</summary>
    public static string? PrefixProblem(string? prefix) => ScriptEnvironmentRule.PrefixProblem(prefix);
}

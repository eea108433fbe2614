using System.Net;
using System.Text.RegularExpressions;
using UdcBackup.ScriptContract;
using UdcBackup.Site.Topology;

namespace UdcBackup.Site.Validation;

/// <summary>The shapes names, addresses, endpoints and script names must have.</summary>
public static partial class SiteNames
{
    public const string IdentifierRule = "letters, digits, '.', '_' or '-', starting with a letter or digit, at most 63 characters";

    public static bool IsIdentifier(string? value) => value is not null && IdentifierPattern().IsMatch(value);

    public static bool IsAddress(string? value) => IPAddress.TryParse(value, out _);

    public static bool IsPort(int port) => port is >= 1 and <= 65535;

    public static bool IsEndpoint(string? value) => Endpoints.TryParse(value, out _, out var port) && IsPort(port);

    public static bool IsAbsolutePath(string? value) => value is not null && value.StartsWith('/') && !value.Split('/').Contains("..");

    /// <summary>
    /// A script is named relative to the disk agent's allowed script folder, by the agent's own rule
    /// (<see cref="ScriptName"/>): no absolute path, no '..', no hidden segment, so that a site file
    /// can never make an agent run a program outside that folder, nor name one the agent refuses.
    /// </summary>
    public static bool IsScriptName(string? value) => ScriptName.IsValid(value);

    /// <summary>
    /// Every reason the disk agent would refuse <paramref name="environment"/> under
    /// <paramref name="rule"/> (each variable, then the whole size); empty when it accepts it.
    /// </summary>
    public static IReadOnlyList<string> EnvironmentProblems(ScriptEnvironmentRule rule, IReadOnlyDictionary<string, string> environment) =>
        EnvironmentRefusals(rule, environment).Select(r => r.Message).ToList();

    /// <summary>
    /// <see cref="EnvironmentProblems"/> with the variable each reason is about: one per refused
    /// variable, or, when every variable passes but the environment as a whole is too large, one
    /// without a variable.
    /// </summary>
    public static IReadOnlyList<(string? Variable, string Message)> EnvironmentRefusals(ScriptEnvironmentRule rule, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(environment);
        var refusals = new List<(string? Variable, string Message)>();
        foreach (var (name, value) in environment)
        {
            if (rule.Refusal(name, value) is { } refusal)
            {
                refusals.Add((name, refusal));
            }
        }

        if (refusals.Count == 0 && rule.Refusal(environment) is { } whole)
        {
            refusals.Add((null, whole));
        }

        return refusals;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPattern();
}

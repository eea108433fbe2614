using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace UdcBackup.Agents.Disk;

/// <summary>
/// Which environment variables a caller may set for a script. The agent does not trust the
/// controller to have filtered them: a name must have the variable shape (<c>[A-Z_][A-Z0-9_]{0,63}</c>),
/// start with one of the configured prefixes (by default <c>UDC_</c>, the scripts' own, and
/// <c>PG</c>, libpq's), and must not be one the agent sets itself or one that changes what runs
/// instead of configuring it: the search path, the dynamic loader's <c>LD_*</c>, the shells'
/// start-up and parsing variables (<c>BASH_ENV</c>, <c>ENV</c>, <c>IFS</c> ...), libc's locale and
/// module paths, and interpreters' start-up hooks. Those stay refused whatever the configuration
/// says, and a configured prefix that would admit one of them is refused when the agent starts.
/// </summary>
public static partial class ScriptRunnerEnvironment
{
    /// <summary>The prefixes allowed when the configuration names none.</summary>
    public static IReadOnlyList<string> DefaultPrefixes { get; } = ["UDC_", "PG"];

    // Set by the agent itself, or read by the loader, a shell, libc or an interpreter before the
    // script's own code runs.
    private static readonly FrozenSet<string> ProtectedNames = new[]
    {
        "PATH", "LANG", "LANGUAGE", "HOME", "SHELL", "IFS", "ENV", "BASH_ENV", "SHELLOPTS", "BASHOPTS", "PS4",
        "CDPATH", "GLOBIGNORE", "PROMPT_COMMAND", "GCONV_PATH", "LOCPATH", "NLSPATH", "HOSTALIASES",
        "RESOLV_HOST_CONF", "RES_OPTIONS", "LOCALDOMAIN", "TMPDIR", "TZDIR", "OPENSSL_CONF", "OPENSSL_ENGINES",
        "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONINSPECT", "PERL5LIB", "PERL5OPT", "PERLLIB",
        "RUBYLIB", "RUBYOPT", "NODE_OPTIONS", "NODE_PATH", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly string[] ProtectedPrefixes = ["LD_", "LC_", "BASH_FUNC_", "GLIBC_", "MALLOC_", "DYLD_", "GCONV_"];

    /// <summary>True when no caller may ever set <paramref name="name"/>.</summary>
    public static bool IsProtected(string name) =>
        ProtectedNames.Contains(name) || ProtectedPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));

    /// <summary>Why a caller may not set <paramref name="name"/> to <paramref name="value"/>, or null when it may.</summary>
    public static string? Refusal(string name, string value, IReadOnlyList<string> prefixes)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        if (!NamePattern().IsMatch(name))
        {
            return $"Environment variable '{name}' is not allowed: names use A-Z, 0-9 and _, not starting with a digit, at most 64 characters";
        }

        if (IsProtected(name))
        {
            return $"Environment variable '{name}' is not allowed: it is set by the agent or changes what runs (search path, loader, shell start-up)";
        }

        if (!prefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)))
        {
            return $"Environment variable '{name}' is not allowed: only names starting with {string.Join(", ", prefixes)} may be set";
        }

        return value.Contains('\0', StringComparison.Ordinal) ? $"Environment variable '{name}' is not allowed: its value contains a NUL character" : null;
    }

    /// <summary>Why <paramref name="prefix"/> may not be configured, or null when it may.</summary>
    public static string? PrefixProblem(string? prefix)
    {
        if (prefix is null || !PrefixPattern().IsMatch(prefix))
        {
            return $"script environment prefix '{prefix}' must be 1-32 characters A-Z, 0-9 and _, not starting with a digit";
        }

        // A prefix of a protected name would admit it ("P" admits PATH, "L" admits LD_PRELOAD), and
        // one inside a protected prefix ("LD_LIB") admits only protected names.
        var hit = ProtectedNames.Concat(ProtectedPrefixes).Where(p => p.StartsWith(prefix, StringComparison.Ordinal) || prefix.StartsWith(p, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        return hit.Count == 0
            ? null
            : $"script environment prefix '{prefix}' would admit {string.Join(", ", hit)}, which the agent never lets a caller set";
    }

    [GeneratedRegex(@"^[A-Z_][A-Z0-9_]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[A-Z_][A-Z0-9_]{0,31}\z", RegexOptions.CultureInvariant)]
    private static partial Regex PrefixPattern();
}

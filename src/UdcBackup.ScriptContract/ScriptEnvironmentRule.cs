using System.Collections.Frozen;
using System.Text;
using System.Text.RegularExpressions;

namespace UdcBackup.ScriptContract;

/// <summary>
/// Which environment variables a caller may set for a pre/post script: the one rule the site model
/// applies when a site or flow is saved and the disk agent applies again before it runs anything,
/// so that whatever the controller accepts a default-configured agent accepts too.
/// A name must have the variable shape (<c>[A-Z_][A-Z0-9_]{0,63}</c>), start with one of the
/// prefixes (by default <c>UDC_</c>, the scripts' own, and <c>PG</c>, libpq's), and must not be one
/// the agent sets itself or one that changes what runs instead of configuring it: the search path,
/// the dynamic loader's <c>LD_*</c>, the shells' start-up and parsing variables (<c>BASH_ENV</c>,
/// <c>ENV</c>, <c>IFS</c> ...), libc's locale and module paths, and interpreters' start-up hooks.
/// Those stay refused whatever prefixes are configured, and a prefix that would admit one of them is
/// refused when the rule is built. A value is text without NUL (newlines are allowed: execve passes
/// them through) of at most <see cref="MaxValueBytes"/> UTF-8 bytes, and a whole environment at most
/// <see cref="MaxEnvironmentBytes"/>, far below the kernel's limits (128 KiB per string, 2 MiB for
/// arguments and environment together with the default stack), so a script never fails to start
/// with E2BIG after its call was accepted. Every check answers with a sentence naming the variable,
/// never throws for a bad name or value.
/// </summary>
public sealed partial class ScriptEnvironmentRule
{
    /// <summary>The longest name, in characters.</summary>
    public const int MaxNameLength = 64;

    /// <summary>The longest value, in UTF-8 bytes.</summary>
    public const int MaxValueBytes = 16 * 1024;

    /// <summary>The largest environment: the sum of <c>NAME=value</c> plus a terminating NUL per variable, in UTF-8 bytes.</summary>
    public const int MaxEnvironmentBytes = 64 * 1024;

    // Set by the agent itself, or read by the loader, a shell, libc or an interpreter before the
    // script's own code runs.
    private static readonly string[] ProtectedNameList =
    [
        "PATH", "LANG", "LANGUAGE", "HOME", "SHELL", "IFS", "ENV", "BASH_ENV", "SHELLOPTS", "BASHOPTS", "PS4",
        "CDPATH", "GLOBIGNORE", "PROMPT_COMMAND", "GCONV_PATH", "LOCPATH", "NLSPATH", "HOSTALIASES",
        "RESOLV_HOST_CONF", "RES_OPTIONS", "LOCALDOMAIN", "TMPDIR", "TZDIR", "OPENSSL_CONF", "OPENSSL_ENGINES",
        "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONINSPECT", "PERL5LIB", "PERL5OPT", "PERLLIB",
        "RUBYLIB", "RUBYOPT", "NODE_OPTIONS", "NODE_PATH", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS",
    ];

    private static readonly FrozenSet<string> ProtectedNameSet = ProtectedNameList.ToFrozenSet(StringComparer.Ordinal);

    private static readonly string[] ProtectedPrefixList = ["LD_", "LC_", "BASH_FUNC_", "GLIBC_", "MALLOC_", "DYLD_", "GCONV_"];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Builds the rule for <paramref name="prefixes"/>; throws <see cref="ArgumentException"/> naming the first bad prefix.</summary>
    public ScriptEnvironmentRule(IEnumerable<string> prefixes)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        var list = prefixes.ToList();
        if (list.Select(PrefixProblem).FirstOrDefault(problem => problem is not null) is { } problem)
        {
            throw new ArgumentException(problem, nameof(prefixes));
        }

        Prefixes = list.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The prefixes allowed when the configuration names none.</summary>
    public static IReadOnlyList<string> DefaultPrefixes { get; } = ["UDC_", "PG"];

    /// <summary>The rule with <see cref="DefaultPrefixes"/>, a default-configured disk agent's.</summary>
    public static ScriptEnvironmentRule Default { get; } = new(DefaultPrefixes);

    /// <summary>Names no caller may set, whatever the prefixes.</summary>
    public static IReadOnlyList<string> ProtectedNames => ProtectedNameList;

    /// <summary>Prefixes of names no caller may set, whatever the prefixes.</summary>
    public static IReadOnlyList<string> ProtectedPrefixes => ProtectedPrefixList;

    /// <summary>The prefixes a name must start with (one of them).</summary>
    public IReadOnlyList<string> Prefixes { get; }

    /// <summary>"UDC_*, PG*": the prefixes as an operator reads them in a message.</summary>
    public string Describe() => string.Join(", ", Prefixes.Select(p => p + "*"));

    /// <summary>True when no caller may ever set <paramref name="name"/>.</summary>
    public static bool IsProtected(string name) =>
        ProtectedNameSet.Contains(name) || ProtectedPrefixList.Any(p => name.StartsWith(p, StringComparison.Ordinal));

    /// <summary>Why a caller may not set a variable named <paramref name="name"/>, or null when it may.</summary>
    public string? NameRefusal(string? name)
    {
        if (name is null || !NamePattern().IsMatch(name))
        {
            return $"Environment variable '{name}' is not allowed: names use A-Z, 0-9 and _, not starting with a digit, at most {MaxNameLength} characters";
        }

        if (IsProtected(name))
        {
            return $"Environment variable '{name}' is not allowed: it is set by the agent or changes what runs (search path, loader, shell start-up)";
        }

        return Prefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal))
            ? null
            : $"Environment variable '{name}' is not allowed: only names starting with {string.Join(", ", Prefixes)} may be set";
    }

    /// <summary>Why a caller may not set <paramref name="name"/> to <paramref name="value"/>, or null when it may.</summary>
    public string? Refusal(string? name, string? value)
    {
        if (NameRefusal(name) is { } refusal)
        {
            return refusal;
        }

        if (value is null)
        {
            return $"Environment variable '{name}' is not allowed: its value must be text";
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            return $"Environment variable '{name}' is not allowed: its value contains a NUL character";
        }

        var bytes = Utf8Length(value);
        return bytes < 0 || bytes > MaxValueBytes
            ? $"Environment variable '{name}' is not allowed: its value is {(bytes < 0 ? "not valid UTF-16 text" : $"{bytes} bytes long")}, at most {MaxValueBytes} bytes (UTF-8) may be set"
            : null;
    }

    /// <summary>
    /// Why <paramref name="environment"/> may not be passed to a script, or null when it may: the
    /// first variable refused by <see cref="Refusal(string?, string?)"/>, else the whole size.
    /// </summary>
    public string? Refusal(IEnumerable<KeyValuePair<string, string>> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        long total = 0;
        foreach (var (name, value) in environment)
        {
            if (Refusal(name, value) is { } refusal)
            {
                return refusal;
            }

            total += name.Length + 2 + Utf8Length(value);
        }

        return total > MaxEnvironmentBytes
            ? $"The script environment is {total} bytes, at most {MaxEnvironmentBytes} bytes (UTF-8, NAME=value and a NUL for each variable) may be set"
            : null;
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
        var hit = ProtectedNameList.Concat(ProtectedPrefixList)
            .Where(p => p.StartsWith(prefix, StringComparison.Ordinal) || prefix.StartsWith(p, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        return hit.Count == 0
            ? null
            : $"script environment prefix '{prefix}' would admit {string.Join(", ", hit)}, which the agent never lets a caller set";
    }

    // -1 for text that is not valid UTF-16 (a lone surrogate), which cannot become UTF-8 for execve.
    private static int Utf8Length(string value)
    {
        try
        {
            return StrictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException)
        {
            return -1;
        }
    }

    [GeneratedRegex(@"^[A-Z_][A-Z0-9_]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[A-Z_][A-Z0-9_]{0,31}\z", RegexOptions.CultureInvariant)]
    private static partial Regex PrefixPattern();
}

namespace UdcBackup.Agents.Disk;

/// <summary>Where scripts live and how long and how loud they may be.</summary>
public sealed class ScriptRunnerOptions
{
    /// <summary>The only folder scripts are run from (absolute path).</summary>
    public string ScriptFolder { get; set; } = string.Empty;

    /// <summary>Timeout when the invocation gives none.</summary>
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Upper bound for any invocation's timeout.</summary>
    public TimeSpan MaxTimeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Bytes kept of each of standard output and standard error; the rest is read and dropped.</summary>
    public int MaxCapturedBytes { get; set; } = 64 * 1024;

    /// <summary>PATH given to scripts (the agent's own environment is not passed on).</summary>
    public string SearchPath { get; set; } = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>
    /// Prefixes of the environment names a caller may set (see <see cref="ScriptRunnerEnvironment"/>);
    /// names the agent protects stay refused whatever is listed here.
    /// </summary>
    public IReadOnlyList<string> EnvironmentPrefixes { get; set; } = ScriptRunnerEnvironment.DefaultPrefixes;

    /// <summary>Returns a validated copy.</summary>
    public ScriptRunnerOptions Validated()
    {
        if (string.IsNullOrWhiteSpace(ScriptFolder) || !Path.IsPathFullyQualified(ScriptFolder))
        {
            throw new ArgumentException($"The script folder must be an absolute path, not '{ScriptFolder}'", nameof(ScriptFolder));
        }

        if (!Directory.Exists(ScriptFolder))
        {
            throw new ArgumentException($"The script folder {ScriptFolder} does not exist", nameof(ScriptFolder));
        }

        if (DefaultTimeout <= TimeSpan.Zero || MaxTimeout < DefaultTimeout)
        {
            throw new ArgumentException("Timeouts must be positive and the maximum at least the default", nameof(DefaultTimeout));
        }

        if (MaxCapturedBytes is < 1024 or > 16 * 1024 * 1024)
        {
            throw new ArgumentException("Captured output must be between 1 KiB and 16 MiB", nameof(MaxCapturedBytes));
        }

        ArgumentNullException.ThrowIfNull(EnvironmentPrefixes);
        if (EnvironmentPrefixes.Select(ScriptRunnerEnvironment.PrefixProblem).FirstOrDefault(problem => problem is not null) is { } prefixProblem)
        {
            throw new ArgumentException(prefixProblem, nameof(EnvironmentPrefixes));
        }

        return new ScriptRunnerOptions
        {
            ScriptFolder = ScriptFolder,
            DefaultTimeout = DefaultTimeout,
            MaxTimeout = MaxTimeout,
            MaxCapturedBytes = MaxCapturedBytes,
            SearchPath = SearchPath,
            EnvironmentPrefixes = [.. EnvironmentPrefixes],
        };
    }
}

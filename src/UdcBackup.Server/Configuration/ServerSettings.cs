using UdcBackup.ScriptContract;

namespace UdcBackup.Server.Configuration;

/// <summary>
/// The controller's settings after every source has been applied (defaults, then
/// <c>DIR/udc.json</c>, then <c>UDC_*</c> environment variables, then the command line).
/// Property names are the keys operators write in <c>udc.json</c>; nested keys use <c>__</c>
/// in environment variables (<c>UDC_WORKERS__ACTIVITYCONCURRENCY</c>).
/// </summary>
public sealed class ServerSettings
{
    private ScriptEnvironmentRule? _scriptEnvironment;

    /// <summary>The file name of the optional settings file inside the data directory.</summary>
    public const string SettingsFileName = "udc.json";

    /// <summary>The default listen address: loopback only, so a fresh install is not exposed.</summary>
    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>The directory holding the store, the logs and the diagnostics evidence.</summary>
    public string DataDirectory { get; set; } = string.Empty;

    /// <summary>Listen addresses, separated by <c>;</c>. Port 0 picks a free port.</summary>
    public string Urls { get; set; } = DefaultUrls;

    /// <summary>
    /// HTTPS listen addresses for agents, separated by <c>;</c> (empty: none). They serve the same
    /// application with the controller's certificate from its CA; agents enroll here
    /// (<c>udc agent enroll --server https://HOST:PORT</c>), as they accept no other server.
    /// </summary>
    public string AgentUrls { get; set; } = string.Empty;

    /// <summary>How many rolled log files to keep under <c>DIR/logs</c>.</summary>
    public int LogRetainedFiles { get; set; } = 14;

    /// <summary>How long a graceful stop waits for running activities to return after they are cancelled.</summary>
    public int ShutdownTimeoutSeconds { get; set; } = 15;

    /// <summary>
    /// Minutes between two sweeps for firewall windows left open by closed runs (the first runs
    /// after recovery at start-up): <c>FirewallWindows.LeftoverWindowSweep</c>.
    /// </summary>
    public int FirewallSweepMinutes { get; set; } = 5;

    /// <summary>Settings of the durable runtime's workers.</summary>
    public WorkerSettings Workers { get; set; } = new();

    /// <summary>Sign-in lockout durations.</summary>
    public SignInSettings SignIn { get; set; } = new();

    /// <summary>
    /// The prefixes of script environment names the controller's disk agents admit (their
    /// <c>scriptEnvironmentPrefixes</c>); null or absent: the agents' default, <c>UDC_</c> and
    /// <c>PG</c>. Site files and flows are checked with it when saved, so list what every disk agent
    /// admits, no more. In <c>udc.json</c> a JSON list; as environment variables
    /// <c>UDC_SCRIPTENVIRONMENTPREFIXES__0=UDC_</c>, <c>__1</c> ... When the list narrows, what was
    /// saved under the wider one is checked again at start and at every run start, and runs that
    /// would pass a refused variable are refused before any step (<c>Site.ScriptEnvironmentStartupCheck</c>).
    /// </summary>
    public List<string>? ScriptEnvironmentPrefixes { get; set; }

    /// <summary>The workflow store (SQLite, WAL) inside the data directory.</summary>
    public string DatabasePath => Path.Combine(DataDirectory, "workflows.db");

    /// <summary>Where the <c>diag.steps</c> self-test leaves its evidence files.</summary>
    public string DiagnosticsDirectory => Path.Combine(DataDirectory, "diagnostics");

    /// <summary>The directory of the controller's own log files.</summary>
    public string LogDirectory => Path.Combine(DataDirectory, "logs");

    /// <summary>The script environment rule of <see cref="ScriptEnvironmentPrefixes"/>, built once (call after validation).</summary>
    public ScriptEnvironmentRule ScriptEnvironmentRule() =>
        _scriptEnvironment ??= new ScriptEnvironmentRule(ScriptEnvironmentPrefixes ?? [.. ScriptContract.ScriptEnvironmentRule.DefaultPrefixes]);

    /// <summary>The listen addresses as a list.</summary>
    public IReadOnlyList<string> UrlList =>
        Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The agent listen addresses as a list.</summary>
    public IReadOnlyList<string> AgentUrlList =>
        AgentUrls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

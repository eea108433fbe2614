using System.Net;
using System.Text.Json;
using FluentValidation;

namespace UdcBackup.Agents.Disk;

/// <summary>
/// Configuration of a disk agent (JSON file given with <c>--config</c>). Validated at start so a
/// wrong path or port is reported before the agent listens, with every problem listed at once.
/// </summary>
public sealed class DiskAgentOptions
{
    /// <summary>Address to listen on (an address of this host; 0.0.0.0 for all).</summary>
    public string ListenAddress { get; set; } = "0.0.0.0";

    /// <summary>TCP port of the agent's HTTPS endpoint.</summary>
    public int Port { get; set; } = 7443;

    /// <summary>Folder with the enrolled credentials (agent.key.pem, agent.crt.pem, ca.crt.pem ...).</summary>
    public string CredentialsFolder { get; set; } = string.Empty;

    /// <summary>The only folder pre/post scripts are run from.</summary>
    public string ScriptFolder { get; set; } = string.Empty;

    /// <summary>Default script timeout in seconds.</summary>
    public int ScriptTimeoutSeconds { get; set; } = 600;

    /// <summary>
    /// Prefixes of the environment names the controller may set for a script (default <c>UDC_</c>
    /// and <c>PG</c>; list them all when adding one, e.g. <c>["UDC_", "PG", "ORACLE_"]</c>). PATH,
    /// LANG, LD_*, BASH_ENV, ENV, IFS and the like stay refused whatever is listed, and a prefix
    /// that would admit one of them makes the configuration invalid.
    /// </summary>
    public List<string> ScriptEnvironmentPrefixes { get; set; } = [.. ScriptRunnerEnvironment.DefaultPrefixes];

    /// <summary>Folders whose contents may be backed up (absolute); a backup request outside them is refused.</summary>
    public List<string> DataPaths { get; set; } = [];

    /// <summary>Folders restores may write into (absolute); a restore target outside them is refused.</summary>
    public List<string> RestoreRoots { get; set; } = [];

    /// <summary>JSON Lines audit log path.</summary>
    public string AuditLogPath { get; set; } = string.Empty;

    /// <summary>Reads and validates a JSON configuration file.</summary>
    public static DiskAgentOptions Load(string path)
    {
        DiskAgentOptions? options;
        try
        {
            options = JsonSerializer.Deserialize<DiskAgentOptions>(File.ReadAllText(path), JsonSerializerOptions.Web);
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"Cannot read disk agent configuration {path}: {ex.Message}", nameof(path), ex);
        }

        return (options ?? throw new ArgumentException($"{path} is empty", nameof(path))).Validated();
    }

    /// <summary>Returns the options after validation; throws <see cref="ArgumentException"/> listing every problem.</summary>
    public DiskAgentOptions Validated()
    {
        var result = new Validator().Validate(this);
        if (!result.IsValid)
        {
            throw new ArgumentException("Disk agent configuration is invalid: " + string.Join("; ", result.Errors.Select(e => e.ErrorMessage)));
        }

        return this;
    }

    private sealed class Validator : AbstractValidator<DiskAgentOptions>
    {
        public Validator()
        {
            RuleFor(o => o.ListenAddress).Must(a => IPAddress.TryParse(a, out _)).WithMessage(o => $"listenAddress '{o.ListenAddress}' is not an IP address");
            RuleFor(o => o.Port).InclusiveBetween(0, 65535).WithMessage("port must be 0-65535");
            RuleFor(o => o.CredentialsFolder).Must(Directory.Exists).WithMessage(o => $"credentialsFolder '{o.CredentialsFolder}' does not exist (enroll the agent first)");
            RuleFor(o => o.ScriptFolder).Must(f => Path.IsPathFullyQualified(f) && Directory.Exists(f)).WithMessage(o => $"scriptFolder '{o.ScriptFolder}' must be an existing absolute folder");
            RuleFor(o => o.ScriptTimeoutSeconds).InclusiveBetween(1, 7200).WithMessage("scriptTimeoutSeconds must be 1-7200");
            RuleFor(o => o.ScriptEnvironmentPrefixes).NotNull().WithMessage("scriptEnvironmentPrefixes must be a list (empty for none)");
            RuleForEach(o => o.ScriptEnvironmentPrefixes).Must(p => ScriptRunnerEnvironment.PrefixProblem(p) is null).WithMessage((_, p) => ScriptRunnerEnvironment.PrefixProblem(p)!);
            RuleForEach(o => o.DataPaths).Must(Path.IsPathFullyQualified).WithMessage("dataPaths entries must be absolute paths");
            RuleForEach(o => o.RestoreRoots).Must(Path.IsPathFullyQualified).WithMessage("restoreRoots entries must be absolute paths");
            RuleFor(o => o.AuditLogPath).Must(p => !string.IsNullOrWhiteSpace(p) && Path.IsPathFullyQualified(p)).WithMessage("auditLogPath must be an absolute file path");
        }
    }
}

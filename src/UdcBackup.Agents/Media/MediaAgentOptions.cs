using System.Net;
using System.Text.Json;
using FluentValidation;

namespace UdcBackup.Agents.Media;

/// <summary>
/// Configuration of a media agent (JSON file). The repository password is read from a file so it
/// never appears on a command line or in the configuration itself; both stay in the controller
/// zone with the media agent. Validated at start with every problem listed.
/// </summary>
public sealed class MediaAgentOptions
{
    public string ListenAddress { get; set; } = "0.0.0.0";

    public int Port { get; set; } = 7444;

    public string CredentialsFolder { get; set; } = string.Empty;

    /// <summary>The archive repository folder (initialized with <c>udc archive init</c>).</summary>
    public string RepositoryPath { get; set; } = string.Empty;

    /// <summary>File holding the repository password (first line).</summary>
    public string RepositoryPasswordFile { get; set; } = string.Empty;

    public string AuditLogPath { get; set; } = string.Empty;

    /// <summary>Name of the repository as the controller's site calls it; requests naming another one are refused. Null accepts any.</summary>
    public string? RepositoryName { get; set; }

    /// <summary>Folder of the backup sessions' journals (mode 0700); default: <c>sessions</c> beside the audit log.</summary>
    public string SessionFolder { get; set; } = string.Empty;

    /// <summary>An unsealed session untouched this long is dropped with its journals.</summary>
    public int SessionIdleHours { get; set; } = 48;

    /// <summary>The session folder with its default applied.</summary>
    public string ResolvedSessionFolder =>
        string.IsNullOrWhiteSpace(SessionFolder) ? Path.Combine(Path.GetDirectoryName(AuditLogPath) ?? "/", "sessions") : SessionFolder;

    /// <summary>Reads and validates a JSON configuration file.</summary>
    public static MediaAgentOptions Load(string path)
    {
        MediaAgentOptions? options;
        try
        {
            options = JsonSerializer.Deserialize<MediaAgentOptions>(File.ReadAllText(path), JsonSerializerOptions.Web);
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"Cannot read media agent configuration {path}: {ex.Message}", nameof(path), ex);
        }

        return (options ?? throw new ArgumentException($"{path} is empty", nameof(path))).Validated();
    }

    /// <summary>Returns the options after validation; throws <see cref="ArgumentException"/> listing every problem.</summary>
    public MediaAgentOptions Validated()
    {
        var result = new Validator().Validate(this);
        if (!result.IsValid)
        {
            throw new ArgumentException("Media agent configuration is invalid: " + string.Join("; ", result.Errors.Select(e => e.ErrorMessage)));
        }

        return this;
    }

    private sealed class Validator : AbstractValidator<MediaAgentOptions>
    {
        public Validator()
        {
            RuleFor(o => o.ListenAddress).Must(a => IPAddress.TryParse(a, out _)).WithMessage(o => $"listenAddress '{o.ListenAddress}' is not an IP address");
            RuleFor(o => o.Port).InclusiveBetween(0, 65535).WithMessage("port must be 0-65535");
            RuleFor(o => o.CredentialsFolder).Must(Directory.Exists).WithMessage(o => $"credentialsFolder '{o.CredentialsFolder}' does not exist (enroll the agent first)");
            RuleFor(o => o.RepositoryPath).Must(Directory.Exists).WithMessage(o => $"repositoryPath '{o.RepositoryPath}' does not exist (udc archive init)");
            RuleFor(o => o.RepositoryPasswordFile).Must(File.Exists).WithMessage(o => $"repositoryPasswordFile '{o.RepositoryPasswordFile}' does not exist");
            RuleFor(o => o.SessionFolder).Must(p => string.IsNullOrEmpty(p) || Path.IsPathFullyQualified(p)).WithMessage("sessionFolder must be an absolute folder path");
            RuleFor(o => o.SessionIdleHours).InclusiveBetween(1, 24 * 30).WithMessage("sessionIdleHours must be 1-720");
            RuleFor(o => o.AuditLogPath).Must(p => !string.IsNullOrWhiteSpace(p) && Path.IsPathFullyQualified(p)).WithMessage("auditLogPath must be an absolute file path");
        }
    }
}

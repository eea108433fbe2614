using FluentValidation;
using UdcBackup.ScriptContract;

namespace UdcBackup.Server.Configuration;

/// <summary>
/// Rules a controller's settings must satisfy before anything starts. Each failure names the
/// setting as an operator writes it (the <c>udc.json</c> key), so the message says what to fix.
/// The data directory rule creates the directory and probes that it is writable: a controller
/// that cannot write its store must not start and fail later in the middle of a job.
/// </summary>
public sealed class ServerSettingsValidator : AbstractValidator<ServerSettings>
{
    public ServerSettingsValidator()
    {
        RuleFor(s => s.DataDirectory)
            .NotEmpty().WithName("DataDirectory").WithMessage("DataDirectory: a data directory is required (--data DIR).")
            .Must(BeWritableDirectory).WithName("DataDirectory")
            .WithMessage(s => $"DataDirectory: '{s.DataDirectory}' cannot be created or written.");

        RuleFor(s => s.Urls)
            .NotEmpty().WithName("Urls").WithMessage("Urls: at least one listen address is required.");
        RuleForEach(s => s.UrlList)
            .Must(BeListenUrl).OverridePropertyName("Urls")
            .WithMessage((_, url) => $"Urls: '{url}' is not an http:// or https:// address with a host and a port (e.g. http://127.0.0.1:5080).");
        RuleForEach(s => s.AgentUrlList)
            .Must(url => BeListenUrl(url) && url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)).OverridePropertyName("AgentUrls")
            .WithMessage((_, url) => $"AgentUrls: '{url}' is not an https:// address with a host and a port (e.g. https://0.0.0.0:5443).");

        RuleFor(s => s.LogRetainedFiles)
            .InclusiveBetween(1, 365).WithName("LogRetainedFiles").WithMessage("LogRetainedFiles: must be between 1 and 365, was {PropertyValue}.");
        RuleFor(s => s.ShutdownTimeoutSeconds)
            .InclusiveBetween(1, 3600).WithName("ShutdownTimeoutSeconds").WithMessage("ShutdownTimeoutSeconds: must be between 1 and 3600, was {PropertyValue}.");
        RuleFor(s => s.FirewallSweepMinutes)
            .InclusiveBetween(1, 1440).WithName("FirewallSweepMinutes").WithMessage("FirewallSweepMinutes: must be between 1 and 1440, was {PropertyValue}.");
        RuleFor(s => s.Workers.ActivityConcurrency)
            .InclusiveBetween(1, 1024).OverridePropertyName("Workers:ActivityConcurrency")
            .WithMessage("Workers:ActivityConcurrency: must be between 1 and 1024, was {PropertyValue}.");
        RuleFor(s => s.SignIn.AddressLockoutSeconds)
            .InclusiveBetween(1, 86_400).OverridePropertyName("SignIn:AddressLockoutSeconds")
            .WithMessage("SignIn:AddressLockoutSeconds: must be between 1 and 86400, was {PropertyValue}.");
        RuleFor(s => s.SignIn.UserLockoutSeconds)
            .InclusiveBetween(1, 86_400).OverridePropertyName("SignIn:UserLockoutSeconds")
            .WithMessage("SignIn:UserLockoutSeconds: must be between 1 and 86400, was {PropertyValue}.");
        // The disk agents' own rule for their configured prefixes, so a list the agents would refuse
        // at start is refused here too, with the same words.
        RuleForEach(s => s.ScriptEnvironmentPrefixes)
            .Must(p => ScriptEnvironmentRule.PrefixProblem(p) is null).OverridePropertyName("ScriptEnvironmentPrefixes")
            .WithMessage((_, p) => $"ScriptEnvironmentPrefixes: {ScriptEnvironmentRule.PrefixProblem(p)}.");
    }

    private static bool BeWritableDirectory(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return true; // reported by NotEmpty
        }

        try
        {
            Directory.CreateDirectory(path);
            var probe = Path.Combine(path, $".write-probe-{Environment.ProcessId}");
            File.WriteAllText(probe, "probe");
            File.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return false;
        }
    }

    private static bool BeListenUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && !string.IsNullOrEmpty(uri.Host)
        && uri.AbsolutePath == "/"
        && uri.Authority.Contains(':', StringComparison.Ordinal);
}

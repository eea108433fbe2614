using System.Text.RegularExpressions;

namespace UdcBackup.Firewall;

/// <summary>
/// The tag every window rule carries (<c>udc:job=&lt;id&gt;</c>), so a recovering controller can
/// find its own leftovers by prefix and never mistakes a foreign rule for one of its windows.
/// Job ids are restricted to a small alphabet because they end up inside firewall rule comments
/// and command lines: letters, digits, '.', '_', ':' and '-', at most 64 characters.
/// </summary>
public static partial class JobTag
{
    /// <summary>The prefix common to every window tag.</summary>
    public const string Prefix = "udc:job=";

    /// <summary>Builds the tag for a job id after validating it.</summary>
    public static string For(string jobId)
    {
        Validate(jobId);
        return Prefix + jobId;
    }

    /// <summary>Returns the job id of a tag, or null when the text is not a window tag.</summary>
    public static string? TryParse(string? tag)
    {
        if (tag is null || !tag.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var id = tag[Prefix.Length..];
        return IsValid(id) ? id : null;
    }

    /// <summary>True when the id may be used as a job id in a window tag.</summary>
    public static bool IsValid(string? jobId) => jobId is not null && JobIdPattern().IsMatch(jobId);

    /// <summary>Throws <see cref="ArgumentException"/> with an actionable message for an invalid id.</summary>
    public static void Validate(string jobId, string parameterName = "jobId")
    {
        if (!IsValid(jobId))
        {
            throw new ArgumentException(
                $"Job id '{jobId}' is not usable in a firewall tag: use 1-64 characters from A-Z a-z 0-9 . _ : -",
                parameterName);
        }
    }

    /// <summary>
    /// Validates a tag prefix used to list windows: it must be the tag prefix followed by a
    /// (possibly empty) start of a valid job id.
    /// </summary>
    public static void ValidatePrefix(string tagPrefix)
    {
        ArgumentNullException.ThrowIfNull(tagPrefix);
        if (!tagPrefix.StartsWith(Prefix, StringComparison.Ordinal)
            || (tagPrefix.Length > Prefix.Length && !IsValid(tagPrefix[Prefix.Length..])))
        {
            throw new ArgumentException(
                $"Tag prefix '{tagPrefix}' must start with '{Prefix}' followed by job id characters",
                nameof(tagPrefix));
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex JobIdPattern();
}

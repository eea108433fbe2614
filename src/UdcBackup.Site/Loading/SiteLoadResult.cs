using UdcBackup.Site.Model;

namespace UdcBackup.Site.Loading;

/// <summary>
/// The outcome of loading a site definition: either a valid <see cref="Site"/> with its
/// <see cref="ContentHash"/>, or the complete list of <see cref="Errors"/> (never both).
/// </summary>
public sealed record SiteLoadResult(SiteDefinition? Site, string? ContentHash, IReadOnlyList<SiteError> Errors)
{
    public bool IsValid => Site is not null && Errors.Count == 0;
}

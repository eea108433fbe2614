using UdcBackup.Site.Loading;

namespace UdcBackup.Server.Site;

/// <summary>
/// What clients read of a refused apply (400, problem details): its title and, in the extension
/// member <c>errors</c>, every error with file, path, line and fix; nothing was stored.
/// </summary>
public sealed record SiteErrorsResponse(string Title, IReadOnlyList<SiteError> Errors);

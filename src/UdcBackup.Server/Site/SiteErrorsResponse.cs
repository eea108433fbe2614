using UdcBackup.Site.Loading;

namespace UdcBackup.Server.Site;

/// <summary>Answer of a refused apply (400): every error with file, path, line and fix; nothing was stored.</summary>
public sealed record SiteErrorsResponse(string Title, IReadOnlyList<SiteError> Errors);

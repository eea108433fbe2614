using UdcBackup.Site.Validation;

namespace UdcBackup.Server.Site;

/// <summary>
/// The answer of <c>GET /api/site</c>: a stored version (as <see cref="SiteVersion"/>) with its
/// script calls checked again against the controller's current rule: the prefixes in force and
/// every variable they refuse (empty when the site passes). A version applied under wider
/// <c>ScriptEnvironmentPrefixes</c> lists here what its runs would be refused for.
/// </summary>
public sealed record SiteVersionDetails(
    int Version,
    DateTimeOffset AppliedAt,
    string ContentHash,
    string Json,
    IReadOnlyList<string> ScriptEnvironmentPrefixes,
    IReadOnlyList<ScriptEnvironmentProblem> ScriptEnvironmentProblems);

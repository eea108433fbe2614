using UdcBackup.Server.Site;

namespace UdcBackup.Server.Api;

/// <summary>The answer of <c>GET /healthz</c> and <c>GET /api/health</c> (HTTP 200 whether <c>ok</c> or <c>degraded</c>).</summary>
/// <param name="Status"><c>ok</c> when the controller serves requests and nothing it stores is refused; <c>degraded</c> when it serves requests but some stored work cannot run as stored (see <paramref name="Problems"/>).</param>
/// <param name="DataDirectory">The data directory this controller runs on.</param>
/// <param name="Detail">What degraded means here and what to do; null when <c>ok</c>.</param>
/// <param name="Problems">Each stored script variable the current <c>ScriptEnvironmentPrefixes</c> refuse: backups, restores and flow runs that would pass it are refused until it is fixed. Empty in the anonymous <c>/healthz</c>, which only counts them in <paramref name="Detail"/>.</param>
public sealed record HealthReport(string Status, string DataDirectory, string? Detail, IReadOnlyList<StoredScriptProblem> Problems)
{
    public const string Ok = "ok";

    public const string Degraded = "degraded";
}

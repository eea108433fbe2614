namespace UdcBackup.Server.Site;

/// <summary>The answer of <c>GET /api/settings/script-environment</c>.</summary>
/// <param name="Prefixes">A script environment name must start with one of these (and not be protected; see <c>ScriptEnvironmentRule</c>).</param>
public sealed record ScriptEnvironmentSettings(IReadOnlyList<string> Prefixes);

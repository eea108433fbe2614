namespace UdcBackup.Server.Api;

/// <summary>The answer of <c>GET /healthz</c>.</summary>
/// <param name="Status"><c>ok</c> when the controller serves requests and its store answers.</param>
/// <param name="DataDirectory">The data directory this controller runs on.</param>
public sealed record HealthReport(string Status, string DataDirectory);

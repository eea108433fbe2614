namespace UdcBackup.Server.Agents;

/// <summary>The controller's CA certificate (PEM) and its SHA-256 fingerprint, as agents pin it.</summary>
public sealed record AgentCaInfo(string CertificatePem, string Sha256);

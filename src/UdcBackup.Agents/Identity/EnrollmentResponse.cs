namespace UdcBackup.Agents.Identity;

/// <summary>
/// What the controller returns to an enrolled agent: its certificate, the CA certificate (the only
/// trust anchor for every peer) and the controller's token-signing public key (to verify job tokens).
/// </summary>
public sealed record EnrollmentResponse(
    string SystemId,
    AgentRole Role,
    string CertificatePem,
    string CaCertificatePem,
    string TokenSigningPublicKeyPem);

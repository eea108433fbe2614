namespace UdcBackup.Agents.Identity;

/// <summary>What an agent sends to enroll: the one-time token and a PEM certificate signing request
/// for the key it generated and keeps.</summary>
public sealed record EnrollmentRequest(string Token, string CertificateSigningRequestPem);

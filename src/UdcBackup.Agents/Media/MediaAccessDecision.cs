using UdcBackup.Agents.Tokens;

namespace UdcBackup.Agents.Media;

/// <summary>The media agent's answer to a request: allowed (with the token's claims for streams) or refused with the reason.</summary>
public sealed record MediaAccessDecision(bool Allowed, JobTokenClaims? Claims, string Reason);

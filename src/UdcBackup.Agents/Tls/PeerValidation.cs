using UdcBackup.Agents.Identity;

namespace UdcBackup.Agents.Tls;

/// <summary>Outcome of validating a peer certificate: the identity when valid, else the reason.</summary>
public sealed record PeerValidation(bool Valid, SystemIdentity? Identity, string Reason)
{
    internal static PeerValidation Refuse(string reason) => new(false, null, reason);
}

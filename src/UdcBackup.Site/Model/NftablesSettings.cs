namespace UdcBackup.Site.Model;

/// <summary>
/// Where the nftables rules of a firewall live. <see cref="Namespace"/> runs nft inside that network
/// namespace; <see cref="CommandPrefix"/> (e.g. <c>ssh fw1 sudo</c>) is put before every nft call.
/// </summary>
public sealed record NftablesSettings(string? Namespace, string? CommandPrefix, string Family, string Table, string Chain)
{
    public static NftablesSettings Default { get; } = new(null, null, "inet", "udc", "forward");
}

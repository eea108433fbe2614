using System.Text.Json.Nodes;

namespace UdcBackup.Firewall.Nftables;

/// <summary>One rule of the managed chain as nft lists it in JSON.</summary>
internal sealed record NftablesRule(long Handle, string? Comment, JsonArray Expressions);

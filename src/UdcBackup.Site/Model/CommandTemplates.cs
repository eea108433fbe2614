namespace UdcBackup.Site.Model;

/// <summary>
/// Command lines that open and close a window on a firewall without nftables. Placeholders:
/// <c>{source}</c>, <c>{destination}</c>, <c>{port}</c>, <c>{comment}</c> (see <see cref="Placeholders"/>).
/// </summary>
public sealed record CommandTemplates(string Open, string Close)
{
    public static IReadOnlyList<string> Placeholders { get; } = ["source", "destination", "port", "comment"];
}

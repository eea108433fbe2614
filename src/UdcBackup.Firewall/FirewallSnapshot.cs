using System.Security.Cryptography;
using System.Text;

namespace UdcBackup.Firewall;

/// <summary>
/// The firewall's complete rule set as text at one moment, with its SHA-256. Taken before a window
/// opens and after it closes; <see cref="Compare"/> proves the firewall was put back exactly
/// (byte for byte) and otherwise lists the lines that differ so an operator can act.
/// </summary>
public sealed record FirewallSnapshot(string Firewall, string RuleSet, DateTimeOffset TakenAt)
{
    /// <summary>Lowercase hex SHA-256 of the UTF-8 rule set text.</summary>
    public string Sha256 { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(RuleSet)));

    /// <summary>Compares this (later) snapshot with an earlier one.</summary>
    public SnapshotComparison Compare(FirewallSnapshot earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        if (string.Equals(earlier.RuleSet, RuleSet, StringComparison.Ordinal))
        {
            return new SnapshotComparison(true, [], []);
        }

        var before = earlier.RuleSet.Split('\n');
        var after = RuleSet.Split('\n');
        var removed = before.Except(after, StringComparer.Ordinal).ToArray();
        var added = after.Except(before, StringComparer.Ordinal).ToArray();
        return new SnapshotComparison(false, added, removed);
    }
}

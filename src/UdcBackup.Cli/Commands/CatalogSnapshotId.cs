using System.Text.Json;
using UdcBackup.Cli.Client;
using UdcBackup.Server.Site;
using static UdcBackup.Cli.Client.ControllerClient;

namespace UdcBackup.Cli.Commands;

/// <summary>
/// Turns the snapshot id an operator types into the catalog's full id: <c>udc jobs show</c> and
/// the web app print 12 characters, and <c>latest</c> means the system's newest snapshot. It
/// reads the controller's catalog (<c>GET /api/snapshots</c>, every system of the applied site)
/// so a short id of another system's snapshot still reaches the controller, whose ownership
/// answer names the right system. An id that matches nothing is sent unchanged when it could be
/// a full id (the controller then says it is not in the catalog); a prefix of several snapshots,
/// or one of none, is bad input before anything starts.
/// </summary>
internal static class CatalogSnapshotId
{
    public const string Latest = "latest";

    public static async Task<string> ResolveAsync(ControllerClient client, string system, string given, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(given))
        {
            throw new CliUsageException("--snapshot needs an id: 'latest', or an id (or its first characters) as udc jobs show prints it.");
        }

        var answer = await client.GetAsync("api/snapshots", cancellationToken);
        var catalog = JsonSerializer.Deserialize<List<SnapshotInfo>>(answer, JsonOptions) ?? [];
        if (string.Equals(given, Latest, StringComparison.OrdinalIgnoreCase))
        {
            // The controller lists newest first.
            return catalog.FirstOrDefault(s => s.SystemId == system)?.SnapshotId
                ?? throw new CliUsageException($"{system} has no snapshot in the controller's catalog yet (udc backup start JOB takes one).");
        }

        if (catalog.Any(s => s.SnapshotId == given))
        {
            return given;
        }

        var matches = catalog.Where(s => s.SnapshotId.StartsWith(given, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count switch
        {
            1 => matches[0].SnapshotId,
            0 when catalog.Count == 0 => given, // no site or no snapshots: the controller's answer says which
            0 => throw new CliUsageException($"no snapshot in the controller's catalog starts with '{given}'; udc jobs show RUN prints each system's snapshot, and 'latest' takes {system}'s newest."),
            _ => throw new CliUsageException(
                $"'{given}' starts {matches.Count} snapshots ({string.Join(", ", matches.Take(5).Select(s => $"{s.SnapshotId[..Math.Min(12, s.SnapshotId.Length)]} of {s.SystemId}"))}); give a longer id."),
        };
    }
}

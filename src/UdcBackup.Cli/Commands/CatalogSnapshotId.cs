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
/// or one of none, is bad input before anything starts, and so is a system the applied site does
/// not have (it would otherwise read as "no snapshot yet").
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
        if (!catalog.Any(s => s.SystemId == system))
        {
            await CheckSystemAsync(client, system, cancellationToken);
        }

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

    // A system with no snapshot may simply be mistyped; only the site says which (a system taken
    // out of the site keeps its snapshots in the catalog and never reaches this check).
    private static async Task CheckSystemAsync(ControllerClient client, string system, CancellationToken cancellationToken)
    {
        var systems = JsonSerializer.Deserialize<List<SystemInfo>>(await client.GetAsync("api/systems", cancellationToken), JsonOptions) ?? [];
        if (systems.Count == 0)
        {
            throw new CliUsageException("no site is applied on this controller yet, so there is nothing to restore: udc site apply FILE.");
        }

        if (!systems.Any(s => s.Id == system))
        {
            throw new CliUsageException($"--system: '{system}' is not a system of the applied site. Systems: {string.Join(", ", systems.Select(s => s.Id))}.");
        }
    }
}

using UdcBackup.Activities.Catalog;
using UdcBackup.Activities.Firewall;
using UdcBackup.Activities.Systems;
using UdcBackup.Durable;
using UdcBackup.Server.Agents;
using UdcBackup.Server.Configuration;
using UdcBackup.Workflows.Backup;
using UdcBackup.Workflows.Restore;

namespace UdcBackup.Server.Catalog;

/// <summary>
/// Registers the backup/restore workflows and their activities with the runtime, with the
/// controller's real dependencies: nftables firewalls from the site, the snapshot catalog in
/// <c>DATA/catalog.db</c>, and the agents reached over mutual TLS with the controller's certificate
/// from its CA in <c>DATA/ca/</c> (<see cref="AgentHttpGateway"/>). <see cref="ActivityTypes"/> is the one list the
/// designer catalog (<c>GET /api/activities</c>) is built from.
/// </summary>
public static class OrchestrationCatalog
{
    /// <summary>The activity classes of the product, for the designer catalog.</summary>
    public static IReadOnlyList<Type> ActivityTypes { get; } = [typeof(FirewallActivities), typeof(SystemActivities), typeof(CatalogActivities)];

    /// <summary>The snapshot catalog file inside the data directory.</summary>
    public static string CatalogPath(ServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Path.Combine(settings.DataDirectory, "catalog.db");
    }

    public static DurableRuntimeOptions Register(DurableRuntimeOptions options, ServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(options);
        var agents = AgentHttpGateway.ForController(ControllerAgentIdentity.Open(settings.DataDirectory, options.TimeProvider), options.TimeProvider);
        options.AddWorkflow<BackupJobWorkflow>();
        options.AddWorkflow<RestoreWorkflow>();
        options.AddActivities(new FirewallActivities(new NftablesFirewallProvider(time: options.TimeProvider)));
        options.AddActivities(new SystemActivities(agents, agents));
        options.AddActivities(new CatalogActivities(new SqliteSnapshotCatalog(CatalogPath(settings)), agents, options.TimeProvider));
        return options;
    }
}

using System.Net.Http.Json;
using UdcBackup.Activities.Catalog;
using UdcBackup.Testing;

namespace UdcBackup.Web.Tests.Infrastructure;

/// <summary>
/// The site the web tests apply (two protected systems behind one firewall, one media agent) and
/// the snapshot the restore wizard and the flow test find: a catalog row as a finished backup of
/// <see cref="OwnerSystem"/> leaves it, written into the server's own catalog file (SQLite in WAL
/// mode, so the running controller reads it at once).
/// </summary>
public static class TestSite
{
    public const string OwnerSystem = "db-1";
    public const string OtherSystem = "app-1";
    public const string SnapshotId = "snap-web-0001";

    private const string Yaml = """
        site: web-tests
        zones:
          - name: uc
            trust: controller
          - name: oc
            trust: protected
        firewalls:
          - name: fw-inner
            kind: nftables
            designatedPort: 9101
            between: [uc, oc]
            nftables: { namespace: udc-web-test-fw }
        mediaAgents:
          - id: media-1
            zone: uc
            endpoint: 198.51.100.2:9101
            address: 198.51.100.2
            repositories:
              - { name: main, path: /srv/udc/main }
        systems:
          - id: db-1
            zone: oc
            agentEndpoint: 203.0.113.2:9102
            address: 203.0.113.2
            applicationKind: none
            dataSets:
              - { name: data, paths: [/srv/db] }
          - id: app-1
            zone: oc
            agentEndpoint: 203.0.113.3:9102
            address: 203.0.113.3
            applicationKind: none
            dataSets:
              - { name: spool, paths: [/srv/app/spool] }
        jobs:
          - id: yearly
            systems: [db-1, app-1]
            mediaAgent: media-1
            repository: main
            schedule: { cron: "0 2 1 1 *", timeZone: UTC, window: 3h }
            levels: { fullEvery: 1 }
            retention: { keepLast: 3 }
            continueOnSystemFailure: true
        """;

    /// <summary>Applies the site and records <see cref="SnapshotId"/> of <see cref="OwnerSystem"/> in the catalog.</summary>
    public static async Task PrepareAsync(ServerProcess server)
    {
        using (var applied = await server.Http.PostAsJsonAsync(new Uri("/api/site", UriKind.Relative), new { yaml = Yaml, file = "web-tests.yaml" }))
        {
            applied.IsSuccessStatusCode.Should().BeTrue($"the web tests' site applies: {await applied.Content.ReadAsStringAsync()}");
        }

        var catalog = new SqliteSnapshotCatalog(Path.Combine(server.DataDirectory, "catalog.db"));
        await catalog.AddAsync(new CatalogEntry(SnapshotId, OwnerSystem, "yearly", "full", "media-1", "main", DateTimeOffset.UtcNow.AddHours(-1), 1_048_576, 42));
    }
}

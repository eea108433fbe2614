using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using UdcBackup.Activities.Catalog;

namespace UdcBackup.Testing.Sites;

/// <summary>
/// The small site the API and web tests apply: two protected systems (<see cref="FirstSystem"/>,
/// <see cref="SecondSystem"/>) behind one nftables firewall, one media agent, one job scheduled
/// once a year (so no scheduled run interferes). By default every endpoint is a documentation
/// address and the firewall's namespace does not exist: a run started there keeps retrying to
/// open its window, so it stays running while a test looks at it and no rule is ever written on
/// the test machine. A test with real agents sets the first system's endpoint, data folder and
/// scripts and the media agent's endpoint and repository (<c>with</c> expressions); the firewall's
/// designated port follows the media agent's port, as the site check requires.
/// <see cref="AddSnapshotAsync"/> records a snapshot in the controller's own catalog file
/// (SQLite in WAL mode, so the running controller reads it at once) as a finished backup does.
/// </summary>
public sealed record SampleSite
{
    public const string FirstSystem = "db-1";
    public const string SecondSystem = "app-1";
    public const string MediaAgent = "media-1";
    public const string Repository = "main";

    public string Name { get; init; } = "api-tests";

    public string Job { get; init; } = "yearly-api";

    public string FirewallNamespace { get; init; } = "udc-api-test-no-such-namespace";

    public string MediaEndpoint { get; init; } = "198.51.100.2:9101";

    public string RepositoryPath { get; init; } = "/srv/udc/main";

    public string FirstEndpoint { get; init; } = "203.0.113.2:9102";

    public string FirstDataPath { get; init; } = "/srv/db";

    /// <summary>Scripts of the first system by site role (preBackup, postBackup, stopPrograms, startPrograms) -> name.</summary>
    public IReadOnlyDictionary<string, string> FirstScripts { get; init; } = new Dictionary<string, string>();

    /// <summary>The site as <c>udc site apply</c> reads it.</summary>
    public string Yaml => $$"""
        site: {{Name}}
        zones:
          - name: uc
            trust: controller
          - name: oc
            trust: protected
        firewalls:
          - name: fw-inner
            kind: nftables
            designatedPort: {{MediaEndpoint[(MediaEndpoint.LastIndexOf(':') + 1)..]}}
            between: [uc, oc]
            nftables: { namespace: {{FirewallNamespace}} }
        mediaAgents:
          - id: {{MediaAgent}}
            zone: uc
            endpoint: {{MediaEndpoint}}
            address: {{Host(MediaEndpoint)}}
            repositories:
              - { name: {{Repository}}, path: {{RepositoryPath}} }
        systems:
          - id: {{FirstSystem}}
            zone: oc
            agentEndpoint: {{FirstEndpoint}}
            address: {{Host(FirstEndpoint)}}
            applicationKind: none
            dataSets:
              - { name: data, paths: [{{FirstDataPath}}] }
        {{ScriptsYaml()}}
          - id: {{SecondSystem}}
            zone: oc
            agentEndpoint: 203.0.113.3:9102
            address: 203.0.113.3
            applicationKind: none
            dataSets:
              - { name: spool, paths: [/srv/app/spool] }
        jobs:
          - id: {{Job}}
            systems: [{{FirstSystem}}, {{SecondSystem}}]
            mediaAgent: {{MediaAgent}}
            repository: {{Repository}}
            schedule: { cron: "0 2 1 1 *", timeZone: UTC, window: 3h }
            levels: { fullEvery: 1 }
            retention: { keepLast: 3 }
            continueOnSystemFailure: true
        """;

    /// <summary>Applies the site through <c>POST /api/site</c> as the server's admin; fails with the answer when refused.</summary>
    public async Task ApplyAsync(ServerProcess server, string file = "sample-site.yaml")
    {
        ArgumentNullException.ThrowIfNull(server);
        using var applied = await server.Http.PostAsJsonAsync(new Uri("/api/site", UriKind.Relative), new { yaml = Yaml, file });
        if (!applied.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"the sample site did not apply ({(int)applied.StatusCode}): {await applied.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>Records a full snapshot of <paramref name="systemId"/> by this site's job and media agent, an hour old.</summary>
    public async Task AddSnapshotAsync(ServerProcess server, string snapshotId, string systemId = FirstSystem, long bytes = 4096, int files = 3)
    {
        ArgumentNullException.ThrowIfNull(server);
        var catalog = new SqliteSnapshotCatalog(Path.Combine(server.DataDirectory, "catalog.db"));
        await catalog.AddAsync(new CatalogEntry(snapshotId, systemId, Job, "full", MediaAgent, Repository, DateTimeOffset.UtcNow.AddHours(-1), bytes, files));
    }

    private static string Host(string endpoint) => endpoint[..endpoint.LastIndexOf(':')];

    private string ScriptsYaml()
    {
        if (FirstScripts.Count == 0)
        {
            return string.Empty;
        }

        var yaml = new StringBuilder("    scripts:");
        foreach (var (role, name) in FirstScripts.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            yaml.Append(CultureInfo.InvariantCulture, $"\n      {role}: {name}");
        }

        return yaml.ToString();
    }
}

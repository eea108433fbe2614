namespace UdcBackup.Server.Tests.Site;

/// <summary>
/// A small valid site for API tests: two systems behind one nftables firewall, one media agent,
/// one job scheduled once a year (so no scheduled run interferes). The firewall's namespace does
/// not exist on purpose: a run started here keeps retrying to open its window, so it stays
/// running while the tests look at it, and no rule is ever written on the test machine.
/// </summary>
internal static class SiteYaml
{
    public const string Job = "yearly-api";
    public const string FirstSystem = "db-1";
    public const string SecondSystem = "app-1";

    public const string Valid = """
        site: api-tests
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
            nftables: { namespace: udc-api-test-no-such-namespace }
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
          - id: yearly-api
            systems: [db-1, app-1]
            mediaAgent: media-1
            repository: main
            schedule: { cron: "0 2 1 1 *", timeZone: UTC, window: 3h }
            levels: { fullEvery: 1 }
            retention: { keepLast: 3 }
            continueOnSystemFailure: true
        """;
}

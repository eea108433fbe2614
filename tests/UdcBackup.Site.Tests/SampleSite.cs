namespace UdcBackup.Site.Tests;

/// <summary>A small valid site with an internet-facing zone behind a second firewall; tests change one thing in it.</summary>
public static class SampleSite
{
    public const string File = "sample.yaml";

    public const string Yaml = """
        site: sample
        zones:
          - name: uc
            trust: controller
          - name: oc
            trust: protected
          - name: dmz
            trust: internet
        firewalls:
          - name: fw-inner
            kind: nftables
            designatedPort: 9101
            between: [uc, oc]
            nftables: { namespace: fw1 }
          - name: fw-outer
            kind: command
            designatedPort: 9101
            between: [oc, dmz]
            commands:
              open: "fwctl allow {source} {destination} {port} --tag {comment}"
              close: "fwctl remove --tag {comment}"
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
            applicationKind: database-backup-mode
            dataSets:
              - { name: pgdata, paths: [/var/lib/postgresql/15/main], excludes: [pg_wal/*], restore: replace }
              - { name: label, paths: [/var/lib/udc-agent/postgresql/label], afterPostBackup: true }
            scripts:
              preBackup: postgresql/pre-backup
              postBackup: { name: postgresql/post-backup, env: { UDC_WAL_ARCHIVE: /var/lib/pg-archive } }
              stopPrograms: postgresql/stop-programs
              startPrograms: postgresql/start-programs
            tier: { application: portal, name: db, order: 1 }
          - id: app-1
            zone: oc
            agentEndpoint: 203.0.113.3:9102
            address: 203.0.113.3
            applicationKind: application-suspend
            dataSets:
              - { name: spool, paths: [/srv/app/spool] }
            scripts:
              preBackup: { name: app-suspend/pre-backup, args: [--tree] }
              postBackup: app-suspend/post-backup
          - id: web-1
            zone: dmz
            agentEndpoint: 192.0.2.10:9102
            address: 192.0.2.10
            applicationKind: none
            dataSets:
              - { name: htdocs, paths: [/srv/www] }
        jobs:
          - id: nightly
            systems: [db-1, app-1, web-1]
            mediaAgent: media-1
            repository: main
            schedule: { cron: "0 2 * * *", timeZone: Europe/Paris, window: 3h }
            levels: { fullOn: [sunday] }
            retention: { keepLast: 3, keepDaily: 7, keepWeekly: 4, keepMonthly: 12, keepYearly: 2 }
            continueOnSystemFailure: false
        """;

    /// <summary>The sample with one exact piece of text replaced; fails if the piece is not there.</summary>
    public static string With(string oldText, string newText)
    {
        Yaml.Should().Contain(oldText, "the test edits an existing part of the sample");
        return Yaml.Replace(oldText, newText, StringComparison.Ordinal);
    }
}

using System.Globalization;

namespace UdcBackup.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The site definition of the lab: the controller zone and the protected zone behind the zone
/// firewall (nft through the <see cref="Gates"/> prefix, on the table and chain NetworkZones
/// installs), one media agent, the three systems with the shipped scripts (through their gate
/// wrappers) and two jobs scheduled once a year, so only the tests start runs.
/// </summary>
internal static class LabSite
{
    private const int PrivatePostgreSqlPort = UdcBackup.Scripts.Tests.Fixtures.PrivatePostgreSql.Port;

    /// <summary>The lab's site; <paramref name="appSpool"/> replaces the folder of app-1's data set (tests of failing streams).</summary>
    public static string Yaml(SiteLab lab, string? appSpool = null)
    {
        appSpool ??= $"{Path.GetDirectoryName(lab.AppPidFile)}/spool";
        var pg = lab.Postgres;
        var pgEnv = string.Create(CultureInfo.InvariantCulture, $"{{ PGHOST: '{pg.SocketDirectory}', PGPORT: '{PrivatePostgreSqlPort}', PGUSER: postgres, PGDATA: '{pg.DataDirectory}', UDC_STATE_DIR: '{lab.DbStateFolder}', UDC_WAL_ARCHIVE: '{pg.WalArchive}', UDC_PG_BIN: '/usr/lib/postgresql/15/bin' }}");
        var appEnv = $"{{ UDC_SUSPEND_PIDFILES: '{lab.AppPidFile}', UDC_STATE_DIR: '{Path.GetDirectoryName(lab.AppPidFile)}/suspend-state' }}";
        return $$"""
            site: e2e-lab
            zones:
              - name: uc
                trust: controller
              - name: oc
                trust: protected
            firewalls:
              - name: fw-zone
                kind: nftables
                designatedPort: {{SiteLab.MediaPort}}
                between: [uc, oc]
                nftables: { commandPrefix: '{{lab.Gates.NftPrefix}}', family: inet, table: udcbackup, chain: forward }
            mediaAgents:
              - id: media-1
                zone: uc
                endpoint: 198.51.100.2:{{SiteLab.MediaPort}}
                address: 198.51.100.2
                repositories:
                  - { name: main, path: '{{lab.RepositoryPath}}' }
            systems:
              - id: {{SiteLab.AppSystem}}
                zone: oc
                agentEndpoint: 203.0.113.2:9102
                address: 203.0.113.2
                applicationKind: application-suspend
                dataSets:
                  - { name: spool, paths: ['{{appSpool}}'] }
                scripts:
                  preBackup: { name: app-suspend-pre-backup, env: {{appEnv}} }
                  postBackup: { name: app-suspend-post-backup, env: {{appEnv}} }
              - id: {{SiteLab.DbSystem}}
                zone: oc
                agentEndpoint: 203.0.113.2:9103
                address: 203.0.113.2
                applicationKind: database-backup-mode
                dataSets:
                  - name: pgdata
                    paths: ['{{pg.DataDirectory}}']
                    excludes: [pg_wal/*, postmaster.pid, postmaster.opts, pg_replslot/*, pg_stat_tmp/*, pg_dynshmem/*, pg_notify/*, pg_serial/*, pg_snapshots/*, pg_subtrans/*]
                    restore: replace
                  - name: backup-label
                    paths: ['{{lab.DbStateFolder}}/label']
                    afterPostBackup: true
                scripts:
                  preBackup: { name: postgresql-pre-backup, env: {{pgEnv}} }
                  postBackup: { name: postgresql-post-backup, env: {{pgEnv}} }
                  stopPrograms: { name: postgresql-stop-programs, env: {{pgEnv}} }
                  startPrograms: { name: postgresql-start-programs, env: {{pgEnv}} }
              - id: {{SiteLab.FilesSystem}}
                zone: oc
                agentEndpoint: 203.0.113.2:9104
                address: 203.0.113.2
                applicationKind: none
                dataSets:
                  - { name: files, paths: ['{{lab.FilesData}}'] }
            jobs:
              - id: {{SiteLab.AllJob}}
                systems: [{{SiteLab.AppSystem}}, {{SiteLab.DbSystem}}, {{SiteLab.FilesSystem}}]
                mediaAgent: media-1
                repository: main
                schedule: { cron: "0 2 1 1 *", timeZone: UTC, window: 1h }
                levels: { fullEvery: 1 }
                retention: { keepLast: 100 }
                continueOnSystemFailure: true
              - id: {{SiteLab.AppJob}}
                systems: [{{SiteLab.AppSystem}}]
                mediaAgent: media-1
                repository: main
                schedule: { cron: "0 2 1 1 *", timeZone: UTC, window: 1h }
                levels: { fullEvery: 1 }
                retention: { keepLast: 100 }
                continueOnSystemFailure: true
            """;
    }
}

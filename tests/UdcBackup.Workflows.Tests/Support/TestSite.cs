using UdcBackup.Activities.Firewall;
using UdcBackup.Site.Model;

namespace UdcBackup.Workflows.Tests.Support;

/// <summary>
/// A site on the test zones: the media agent in the controller zone, two protected systems
/// behind the real namespace firewall. <c>sys-a</c> is a database in backup mode whose label
/// folder is streamed after post-backup; <c>sys-b</c> an application that is suspended.
/// </summary>
public static class TestSite
{
    public static SiteDefinition Create(FirewallTarget firewall, bool continueOnFailure = true)
    {
        ArgumentNullException.ThrowIfNull(firewall);
        var env = new Dictionary<string, string> { ["UDC_STATE_DIR"] = "/var/lib/test/state" };
        ScriptCall Script(string name) => new(name, [], env);
        var a = new ProtectedSystem("sys-a", "operations", "203.0.113.2:9102", "203.0.113.2", ApplicationKind.DatabaseBackupMode,
            [new DataSet("pgdata", ["/srv/a/data"], ["pg_wal/*"], false), new DataSet("label", ["/srv/a/label"], [], true)],
            new SystemScripts(Script("postgresql/pre-backup"), Script("postgresql/post-backup"), Script("postgresql/stop-programs"), Script("postgresql/start-programs")),
            null);
        var b = new ProtectedSystem("sys-b", "operations", "203.0.113.3:9102", "203.0.113.3", ApplicationKind.ApplicationSuspend,
            [new DataSet("spool", ["/srv/b/spool"], [], false)],
            new SystemScripts(Script("app-suspend/pre-backup"), Script("app-suspend/post-backup"), null, null),
            null);
        return new SiteDefinition(
            "test",
            [new Zone("controller", ZoneTrust.Controller), new Zone("operations", ZoneTrust.Protected)],
            [new FirewallDefinition(firewall.Name, FirewallKind.Nftables, firewall.DesignatedPort, ["controller", "operations"],
                new NftablesSettings(firewall.Namespace, null, firewall.Family, firewall.Table, firewall.Chain), null)],
            [new MediaAgent("media-1", "controller", "198.51.100.2:9101", "198.51.100.2", [new Repository("local", "/srv/repo")])],
            [a, b],
            [new BackupJob("nightly", ["sys-a", "sys-b"], "media-1", "local", new JobSchedule("0 2 * * *", "UTC", TimeSpan.FromHours(1)),
                new LevelPattern([], 3), new RetentionPolicy(2, 0, 0, 0, 0), continueOnFailure)]);
    }
}

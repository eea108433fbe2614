using UdcBackup.Site.Loading;
using UdcBackup.Site.Model;
using UdcBackup.Site.Serialization;

namespace UdcBackup.Site.Tests;

public class SiteDefinitionLoaderTests
{
    private static SiteLoadResult Load(string yaml) => SiteDefinitionLoader.Parse(yaml, SampleSite.File);

    private static SiteError SingleError(string yaml)
    {
        var result = Load(yaml);
        result.IsValid.Should().BeFalse();
        result.Site.Should().BeNull("an invalid file must produce no model at all");
        result.Errors.Should().ContainSingle("only one thing was broken, got: {0}", string.Join(Environment.NewLine, result.Errors));
        var error = result.Errors[0];
        error.File.Should().Be(SampleSite.File);
        error.Fix.Should().NotBeNullOrWhiteSpace();
        return error;
    }

    [Fact]
    public void The_sample_site_loads_with_every_field()
    {
        var result = Load(SampleSite.Yaml);

        result.Errors.Should().BeEmpty();
        var site = result.Site!;
        site.Name.Should().Be("sample");
        site.Zones.Select(z => z.Trust).Should().Equal(ZoneTrust.Controller, ZoneTrust.Protected, ZoneTrust.Internet);
        site.Firewalls[0].Nftables.Should().Be(new NftablesSettings("fw1", null, "inet", "udc", "forward"));
        site.Firewalls[1].Kind.Should().Be(FirewallKind.Command);
        site.Firewalls[1].Commands!.Close.Should().Be("fwctl remove --tag {comment}");
        var db = site.FindSystem("db-1")!;
        db.ApplicationKind.Should().Be(ApplicationKind.DatabaseBackupMode);
        db.DataSets[1].AfterPostBackup.Should().BeTrue();
        db.DataSets[0].Excludes.Should().Equal("pg_wal/*");
        db.DataSets.Select(d => d.Restore).Should().Equal(DataSetRestoreMode.Replace, DataSetRestoreMode.Merge);
        db.Scripts.PostBackup!.Env.Should().Contain("UDC_WAL_ARCHIVE", "/var/lib/pg-archive");
        db.Tier.Should().Be(new TierInfo("portal", "db", 1));
        site.FindSystem("app-1")!.Scripts.PreBackup!.Args.Should().Equal("--tree");
        var job = site.FindJob("nightly")!;
        job.Schedule.Should().Be(new JobSchedule("0 2 * * *", "Europe/Paris", TimeSpan.FromHours(3)));
        job.Levels.FullOn.Should().Equal(DayOfWeek.Sunday);
        job.Retention.Should().Be(new RetentionPolicy(3, 7, 4, 12, 2));
        job.ContinueOnSystemFailure.Should().BeFalse();
        result.ContentHash.Should().MatchRegex("^sha256:[0-9a-f]{64}$");
    }

    [Fact]
    public void Canonical_json_round_trips_to_the_same_model_and_hash()
    {
        var site = Load(SampleSite.Yaml).Site!;

        var json = CanonicalSiteJson.Serialize(site);
        var back = CanonicalSiteJson.Deserialize(json);

        back.Should().BeEquivalentTo(site, o => o.WithStrictOrderingFor(s => s.Jobs[0].Systems).ComparingRecordsByMembers());
        CanonicalSiteJson.Serialize(back).Should().Be(json);
        CanonicalSiteJson.ContentHash(back).Should().Be(CanonicalSiteJson.ContentHash(site));
        json.Should().Contain("\"applicationKind\":\"database-backup-mode\"").And.Contain("\"window\":\"03:00:00\"");
    }

    [Fact]
    public void Reapplying_the_same_site_written_differently_has_the_same_hash_and_a_real_change_does_not()
    {
        var original = Load(SampleSite.Yaml).ContentHash;
        var reordered = SampleSite.With("""
              - name: uc
                trust: controller
              - name: oc
                trust: protected
            """, """
              - name: oc          # same zones, other order, a comment
                trust: protected
              - name: uc
                trust: "controller"
            """);
        var changed = SampleSite.With("keepLast: 3", "keepLast: 4");

        Load(reordered).ContentHash.Should().Be(original);
        Load(changed).ContentHash.Should().NotBe(original);
    }

    [Fact]
    public void Unknown_key_is_an_error_with_position_and_the_likely_intended_key()
    {
        var error = SingleError(SampleSite.With("    applicationKind: none", "    applicationKind: none\n    dataSet: []"));

        error.Path.Should().Be("systems[2].dataSet");
        error.Message.Should().Contain("unknown key 'dataSet'");
        error.Fix.Should().Contain("rename 'dataSet' to 'dataSets'");
        error.Line.Should().Be(59);
        error.Column.Should().Be(5);
        error.ToString().Should().StartWith("sample.yaml:59:5: systems[2].dataSet: unknown key");
    }

    [Fact]
    public void Unknown_key_at_the_top_and_inside_a_job_are_both_reported()
    {
        var text = SampleSite.With("continueOnSystemFailure: false", "continueOnSystemFailur: false") + "\nretension: {}\n";

        var result = Load(text);

        result.Errors.Select(e => e.Path).Should().BeEquivalentTo("jobs[0].continueOnSystemFailur", "retension");
    }

    [Fact]
    public void Missing_script_for_the_application_kind_names_path_and_fix()
    {
        var error = SingleError(SampleSite.With("      preBackup: postgresql/pre-backup\n", string.Empty));

        error.Path.Should().Be("systems[0].scripts.preBackup");
        error.Message.Should().Contain("database-backup-mode needs a pre-backup script");
        error.Fix.Should().Be("add a pre-backup script name or set application kind to none.");
        error.Line.Should().NotBeNull("the nearest existing node (scripts) gives the position");
    }

    [Fact]
    public void Database_without_stop_programs_cannot_be_restored_safely()
    {
        var error = SingleError(SampleSite.With("      stopPrograms: postgresql/stop-programs\n", string.Empty));

        error.Path.Should().Be("systems[0].scripts.stopPrograms");
        error.Fix.Should().Contain("stopPrograms");
    }

    [Fact]
    public void Duplicate_ids_point_at_the_second_definition()
    {
        var copy = SampleSite.Yaml[SampleSite.Yaml.IndexOf("  - id: web-1", StringComparison.Ordinal)..SampleSite.Yaml.IndexOf("jobs:", StringComparison.Ordinal)];
        var error = SingleError(SampleSite.With("jobs:", copy + "jobs:"));

        error.Path.Should().Be("systems[3].id");
        error.Message.Should().Be("duplicate system 'web-1' (already defined at systems[2]).");
        error.Line.Should().Be(61);
        error.Column.Should().Be(5);
    }

    [Theory]
    [InlineData("zone: oc\n    agentEndpoint: 203.0.113.3", "zone: ocx\n    agentEndpoint: 203.0.113.3", "systems[1].zone", "unknown zone 'ocx'")]
    [InlineData("between: [oc, dmz]", "between: [oc, dmzz]", "firewalls[1].between[1]", "unknown zone 'dmzz'")]
    [InlineData("mediaAgent: media-1", "mediaAgent: media-2", "jobs[0].mediaAgent", "unknown media agent 'media-2'")]
    [InlineData("repository: main", "repository: other", "jobs[0].repository", "has no repository 'other'")]
    [InlineData("systems: [db-1, app-1, web-1]", "systems: [db-1, app-2, web-1]", "jobs[0].systems[1]", "unknown system 'app-2'")]
    public void Unknown_references_are_reported_at_the_referring_key(string oldText, string newText, string path, string message)
    {
        var error = SingleError(SampleSite.With(oldText, newText));

        error.Path.Should().Be(path);
        error.Message.Should().Contain(message);
        error.Line.Should().NotBeNull();
    }

    [Theory]
    [InlineData("restore: replace }", "restore: wipe }", "systems[0].dataSets[0].restore", "'wipe' is not one of merge | replace")]
    [InlineData("paths: [/var/lib/postgresql/15/main], excludes: [pg_wal/*], restore: replace", "paths: [/], excludes: [pg_wal/*], restore: replace", "systems[0].dataSets[0].paths[0]", "would remove everything on the system")]
    public void A_restore_mode_is_merge_or_replace_and_replace_never_covers_the_whole_system(string oldText, string newText, string path, string message)
    {
        var error = SingleError(SampleSite.With(oldText, newText));

        error.Path.Should().Be(path);
        error.Message.Should().Contain(message);
    }

    [Fact]
    public void System_in_a_zone_without_a_firewall_path_to_the_media_agent_is_rejected()
    {
        var error = SingleError(SampleSite.With("between: [oc, dmz]", "between: [oc, uc]"));

        error.Path.Should().Be("jobs[0].systems[2]");
        error.Message.Should().Contain("'web-1' is in zone 'dmz', which has no firewall path to zone 'uc'");
        error.Fix.Should().Contain("between: [uc, dmz]");
    }

    [Fact]
    public void Port_out_of_range_is_rejected()
    {
        var result = Load(SampleSite.With("designatedPort: 9101\n    between: [uc, oc]", "designatedPort: 70000\n    between: [uc, oc]"));

        result.Errors.Select(e => e.Path).Should().Contain("firewalls[0].designatedPort");
        result.Errors.First(e => e.Path == "firewalls[0].designatedPort").Message.Should().Be("designated port 70000 is out of range.");
    }

    [Fact]
    public void Firewall_port_that_is_not_the_media_agents_port_is_rejected()
    {
        var error = SingleError(SampleSite.With("designatedPort: 9101\n    between: [oc, dmz]", "designatedPort: 9200\n    between: [oc, dmz]"));

        error.Path.Should().Be("firewalls[1].designatedPort");
        error.Fix.Should().Contain("set designatedPort to 9101");
    }

    [Theory]
    [InlineData("0 2 * * *", "0 2 * *", "jobs[0].schedule.cron", "is not a valid cron expression")]
    [InlineData("0 2 * * *", "61 2 * * *", "jobs[0].schedule.cron", "is not a valid cron expression")]
    [InlineData("Europe/Paris", "Europe/Pariss", "jobs[0].schedule.timeZone", "is not a known time zone")]
    [InlineData("window: 3h", "window: 3 hours", "jobs[0].schedule.window", "is not a duration")]
    [InlineData("systems: [db-1, app-1, web-1]", "systems: []", "jobs[0].systems", "has no systems")]
    [InlineData("levels: { fullOn: [sunday] }", "levels: { fullOn: [sunday], fullEvery: 3 }", "jobs[0].levels", "sets both fullOn and fullEvery")]
    [InlineData("levels: { fullOn: [sunday] }", "levels: { fullOn: [sundae] }", "jobs[0].levels.fullOn[0]", "'sundae' is not one of")]
    [InlineData("keepLast: 3, keepDaily: 7, keepWeekly: 4, keepMonthly: 12, keepYearly: 2", "keepLast: 0", "jobs[0].retention", "keeps nothing")]
    [InlineData("applicationKind: none", "applicationKind: nothing", "systems[2].applicationKind", "is not one of database-backup-mode | application-suspend | none")]
    [InlineData("address: 192.0.2.10", "address: web-1.example", "systems[2].address", "is not an IP address")]
    [InlineData("agentEndpoint: 192.0.2.10:9102", "agentEndpoint: 192.0.2.10:0", "systems[2].agentEndpoint", "is not host:port")]
    [InlineData("preBackup: { name: app-suspend/pre-backup", "preBackup: { name: ../../bin/sh", "systems[1].scripts.preBackup", "is not a name inside the agent's script folder")]
    [InlineData("env: { UDC_WAL_ARCHIVE: /var/lib/pg-archive }", "env: { LD_PRELOAD: /tmp/x.so }", "systems[0].scripts.postBackup.env", "'LD_PRELOAD' is not allowed: it is set by the agent or changes what runs")]
    [InlineData("paths: [/srv/www]", "paths: [srv/www]", "systems[2].dataSets[0].paths[0]", "is not an absolute path")]
    [InlineData("trust: internet", "trust: [internet]", "zones[2].trust", "expected a single value")]
    [InlineData("continueOnSystemFailure: false", "continueOnSystemFailure: maybe", "jobs[0].continueOnSystemFailure", "is not true or false")]
    [InlineData("env: { UDC_WAL_ARCHIVE: /var/lib/pg-archive }", "env: [UDC_WAL_ARCHIVE]", "systems[0].scripts.postBackup.env", "expected a mapping")]
    [InlineData("paths: [/srv/www]", "paths: [/srv/www, ~]", "systems[2].dataSets[0].paths[1]", "the list item is empty")]
    [InlineData("designatedPort: 9101\n    between: [uc, oc]", "designatedPort: 9101x\n    between: [uc, oc]", "firewalls[0].designatedPort", "is not a whole number")]
    public void Each_kind_of_value_error_names_path_message_and_fix(string oldText, string newText, string path, string message)
    {
        var result = Load(SampleSite.With(oldText, newText));

        result.IsValid.Should().BeFalse();
        var error = result.Errors.Should().ContainSingle(e => e.Path == path, "errors were: {0}", string.Join(Environment.NewLine, result.Errors)).Subject;
        error.Message.Should().Contain(message);
        error.Fix.Should().NotBeNullOrWhiteSpace();
        error.File.Should().Be(SampleSite.File);
        error.Line.Should().NotBeNull();
    }

    [Fact]
    public void Yaml_syntax_error_gives_line_and_column()
    {
        var error = SingleError(SampleSite.With("  - id: nightly\n", "  - id: nightly\n   bad: [\n"));

        error.Path.Should().BeEmpty();
        error.Message.Should().StartWith("the file is not valid YAML");
        error.Line.Should().Be(63);
    }

    [Fact]
    public void A_key_written_twice_is_an_error()
    {
        var error = SingleError(SampleSite.With("    repository: main\n", "    repository: main\n    repository: other\n"));

        error.Message.Should().Contain("not valid YAML");
        error.Line.Should().NotBeNull();
    }

    [Fact]
    public void Every_problem_of_a_file_is_reported_in_one_pass()
    {
        var yaml = SampleSite.With("Europe/Paris", "Mars/Olympus")
            .Replace("address: 192.0.2.10", "address: nowhere", StringComparison.Ordinal)
            .Replace("  - name: fw-outer", "  - name: fw-inner", StringComparison.Ordinal);

        Load(yaml).Errors.Select(e => e.Path).Should().BeEquivalentTo("jobs[0].schedule.timeZone", "systems[2].address", "firewalls[1].name");
    }

    [Fact]
    public void Empty_file_and_missing_file_are_errors_not_exceptions()
    {
        SingleError(string.Empty).Message.Should().Be("the file is empty.");

        var missing = SiteDefinitionLoader.LoadFile("/nonexistent/site.yaml");
        missing.IsValid.Should().BeFalse();
        missing.Errors.Single().File.Should().Be("/nonexistent/site.yaml");
        FluentActions.Invoking(() => SiteDefinitionLoader.LoadValidFile("/nonexistent/site.yaml"))
            .Should().Throw<SiteDefinitionException>().Which.Errors.Should().HaveCount(1);
    }
}

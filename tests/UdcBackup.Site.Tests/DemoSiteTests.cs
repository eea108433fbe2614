using UdcBackup.Site.Loading;
using UdcBackup.Site.Model;
using UdcBackup.Site.Planning;

namespace UdcBackup.Site.Tests;

public class DemoSiteTests
{
    private static readonly string DemoFile = Path.Combine(RepositoryRoot.Path, "deploy", "demo", "site.yaml");

    [Fact]
    public void The_demo_site_is_valid()
    {
        var result = SiteDefinitionLoader.LoadFile(DemoFile);

        result.Errors.Should().BeEmpty();
        var site = result.Site!;
        site.Systems.Select(s => s.ApplicationKind).Should().Equal(ApplicationKind.None, ApplicationKind.ApplicationSuspend, ApplicationKind.DatabaseBackupMode);
        site.Jobs.Should().ContainSingle().Which.Schedule.Cron.Should().Be("*/5 * * * *");
        site.FindSystem("pg-demo")!.Scripts.StartPrograms!.Env["PGDATA"].Should().Be("/var/lib/udc-demo/pg-demo/data", "the YAML anchor is resolved");
        site.FindSystem("pg-demo")!.DataSets.Select(d => d.Restore).Should().Equal([DataSetRestoreMode.Replace, DataSetRestoreMode.Merge], "the data directory is replaced, the label folder merged");
    }

    [Fact]
    public void The_demo_scripts_exist_in_the_shipped_script_folder()
    {
        var site = SiteDefinitionLoader.LoadValidFile(DemoFile);
        var scripts = site.Systems.SelectMany(s => new[] { s.Scripts.PreBackup, s.Scripts.PostBackup, s.Scripts.StopPrograms, s.Scripts.StartPrograms })
            .OfType<ScriptCall>()
            .Select(c => c.Name)
            .Distinct();

        foreach (var name in scripts)
        {
            File.Exists(Path.Combine(RepositoryRoot.Path, "deploy", "scripts", name)).Should().BeTrue($"{name} is shipped");
        }
    }

    [Fact]
    public void The_demo_job_plan_streams_the_postgresql_label_after_post_backup()
    {
        var plan = JobPlanner.PlanBackup(SiteDefinitionLoader.LoadValidFile(DemoFile), "demo-every-5-minutes");

        var pg = plan.Steps.Where(s => s.SystemId == "pg-demo" && s.Kind is PlanStepKind.RunScript or PlanStepKind.StreamBackup)
            .Select(s => s.Summary).ToList();
        pg.Should().HaveCount(4);
        pg[3].Should().Contain("backup-label");
    }
}

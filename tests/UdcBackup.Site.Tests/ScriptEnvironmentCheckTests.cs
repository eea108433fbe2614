using UdcBackup.ScriptContract;
using UdcBackup.Site.Loading;
using UdcBackup.Site.Model;
using UdcBackup.Site.Planning;
using UdcBackup.Site.Validation;

namespace UdcBackup.Site.Tests;

/// <summary>
/// A site accepted under wide script environment prefixes, checked again after they narrowed:
/// every refused variable is named with its system and script, and a plan reports only the
/// calls its run would make.
/// </summary>
public class ScriptEnvironmentCheckTests
{
    private static readonly ScriptEnvironmentRule Wide = new(["UDC_", "PG", "ACME_"]);
    private static readonly ScriptEnvironmentRule Narrow = new(["UDC_"]);

    // app-1's pre-backup gets ACME_X (admitted only by Wide); db-1's stop-programs gets PGDATA
    // (admitted by the defaults, not by Narrow); db-1's post-backup keeps its UDC_ variable.
    private static readonly SiteDefinition Site = Load(SampleSite
        .With("preBackup: { name: app-suspend/pre-backup, args: [--tree] }", "preBackup: { name: app-suspend/pre-backup, args: [--tree], env: { UDC_MODE: full, ACME_X: '1' } }")
        .Replace("stopPrograms: postgresql/stop-programs", "stopPrograms: { name: postgresql/stop-programs, env: { PGDATA: /var/lib/postgresql/15/main } }", StringComparison.Ordinal));

    [Fact]
    public void A_site_accepted_under_wider_prefixes_has_every_refused_variable_named_with_its_system_and_script()
    {
        ScriptEnvironmentCheck.Site(Site, Wide).Should().BeEmpty();

        var problems = ScriptEnvironmentCheck.Site(Site, Narrow);

        problems.Select(p => $"{p.SystemId} {p.Script} {p.ScriptName} {p.Variable}").Should().Equal(
            "db-1 stopPrograms postgresql/stop-programs PGDATA",
            "app-1 preBackup app-suspend/pre-backup ACME_X");
        problems.Should().OnlyContain(p => p.Message.Contains("only names starting with UDC_", StringComparison.Ordinal));
        problems[1].ToString().Should().Be($"system app-1, preBackup script app-suspend/pre-backup, variable ACME_X: {problems[1].Message}");
    }

    [Fact]
    public void A_plan_reports_only_the_script_calls_its_run_would_make()
    {
        ScriptEnvironmentCheck.Plan(JobPlanner.PlanBackup(Site, "nightly"), Narrow)
            .Should().ContainSingle().Which.Should().Be(new ScriptEnvironmentProblem("app-1", "preBackup", "app-suspend/pre-backup", "ACME_X", Narrow.Refusal("ACME_X", "1")!));
        ScriptEnvironmentCheck.Plan(JobPlanner.PlanRestore(Site, new RestoreRequest("db-1")), Narrow)
            .Should().ContainSingle().Which.Variable.Should().Be("PGDATA");
        ScriptEnvironmentCheck.Plan(JobPlanner.PlanRestore(Site, new RestoreRequest("db-1")), ScriptEnvironmentRule.Default).Should().BeEmpty();
        ScriptEnvironmentCheck.Plan(JobPlanner.PlanRestore(Site, new RestoreRequest("web-1")), Narrow).Should().BeEmpty();
    }

    [Fact]
    public void An_environment_too_large_as_a_whole_is_one_problem_without_a_variable()
    {
        var value = new string('x', ScriptEnvironmentRule.MaxValueBytes - 16);
        var env = Enumerable.Range(0, 5).ToDictionary(i => $"UDC_V{i}", _ => value);
        var site = Site with { Systems = [.. Site.Systems.Select(s => s.Id == "web-1" ? s with { Scripts = SystemScripts.None with { PreBackup = new ScriptCall("web/pre", [], env) } } : s)] };

        var problem = ScriptEnvironmentCheck.Site(site, Wide).Should().ContainSingle().Subject;

        problem.Variable.Should().BeNull();
        problem.SystemId.Should().Be("web-1");
        problem.Message.Should().Contain($"at most {ScriptEnvironmentRule.MaxEnvironmentBytes} bytes");
    }

    private static SiteDefinition Load(string yaml)
    {
        var loaded = SiteDefinitionLoader.Parse(yaml, SampleSite.File, Wide);
        loaded.Errors.Should().BeEmpty();
        return loaded.Site!;
    }
}

using UdcBackup.Site.Loading;
using UdcBackup.Site.Model;
using UdcBackup.Site.Planning;

namespace UdcBackup.Site.Tests;

public class JobPlannerTests
{
    private static readonly SiteDefinition Site = SiteDefinitionLoader.Parse(SampleSite.Yaml, SampleSite.File).Site!;

    [Fact]
    public void Backup_plan_opens_all_windows_then_quiesces_streams_and_releases_each_system_in_order()
    {
        var plan = JobPlanner.PlanBackup(Site, "nightly");

        plan.Steps.Select(s => $"{s.Kind} {s.SystemId} {s.Window?.Firewall}{s.Role}").Should().Equal(
            "OpenWindow db-1 fw-inner",
            "OpenWindow app-1 fw-inner",
            "OpenWindow web-1 fw-inner",
            "OpenWindow web-1 fw-outer",
            "RunScript db-1 PreBackup",
            "StreamBackup db-1 ",
            "RunScript db-1 PostBackup",
            "StreamBackup db-1 ",
            "RunScript app-1 PreBackup",
            "StreamBackup app-1 ",
            "RunScript app-1 PostBackup",
            "StreamBackup web-1 ",
            "CloseWindow web-1 fw-outer",
            "CloseWindow web-1 fw-inner",
            "CloseWindow app-1 fw-inner",
            "CloseWindow db-1 fw-inner");
        plan.Steps.Select((s, i) => s.Index).Should().Equal(Enumerable.Range(0, plan.Steps.Count));
        plan.MediaAgentId.Should().Be("media-1");
        plan.Repository.Should().Be("main");
        plan.ContinueOnSystemFailure.Should().BeFalse("the sample job stops at the first failed system");
    }

    [Fact]
    public void Backup_plan_marks_what_each_cleanup_step_undoes()
    {
        var plan = JobPlanner.PlanBackup(Site, "nightly");

        plan.Steps[6].CleanupOf.Should().Be(4, "db-1's post-backup ends the backup mode its pre-backup started");
        plan.Steps[10].CleanupOf.Should().Be(8);
        plan.Steps.Where(s => s.Kind == PlanStepKind.CloseWindow).Select(s => s.CleanupOf).Should().Equal(3, 2, 1, 0);
        plan.Steps[4].CleanupOf.Should().BeNull();
    }

    [Fact]
    public void Data_written_by_post_backup_is_streamed_after_it()
    {
        var plan = JobPlanner.PlanBackup(Site, "nightly");

        plan.Steps[5].DataSets.Should().Equal("pgdata");
        plan.Steps[7].DataSets.Should().Equal("label");
        plan.Steps[4].Script!.Name.Should().Be("postgresql/pre-backup");
    }

    [Fact]
    public void Windows_go_from_the_system_address_to_the_media_agent_on_the_designated_port()
    {
        var plan = JobPlanner.PlanBackup(Site, "nightly");

        plan.Steps[3].Window.Should().Be(new FirewallWindowSpec("fw-outer", "web-1", "192.0.2.10", "198.51.100.2", 9101));
        plan.Steps[3].Summary.Should().Be("open port 9101 on fw-outer from web-1 (192.0.2.10) to media-1 (198.51.100.2)");
    }

    [Fact]
    public void Restore_plan_stops_programs_restores_and_starts_them_again_inside_the_window()
    {
        var plan = JobPlanner.PlanRestore(Site, new RestoreRequest("db-1"));

        plan.Steps.Select(s => $"{s.Kind} {s.Role}").Should().Equal(
            "OpenWindow ", "RunScript StopPrograms", "StreamRestore ", "RunScript StartPrograms", "CloseWindow ");
        plan.Steps[3].CleanupOf.Should().Be(1);
        plan.Steps[4].CleanupOf.Should().Be(0);
        plan.Steps[2].DataSets.Should().Equal("pgdata", "label");
        plan.NeedsApproval.Should().BeFalse();
        plan.Kind.Should().Be(PlanKind.Restore);
    }

    [Fact]
    public void Restoring_another_systems_snapshot_needs_approval_and_targets_the_other_system()
    {
        var plan = JobPlanner.PlanRestore(Site, new RestoreRequest("app-1", TargetSystemId: "web-1"));

        plan.NeedsApproval.Should().BeTrue();
        plan.SourceSystemId.Should().Be("app-1");
        plan.TargetSystemId.Should().Be("web-1");
        plan.Steps.Where(s => s.Kind == PlanStepKind.OpenWindow).Select(s => s.Window!.SourceAddress).Should().Equal("192.0.2.10", "192.0.2.10");
        plan.Steps.Single(s => s.Kind == PlanStepKind.StreamRestore).Summary.Should().Contain("(snapshot of app-1)");
    }

    [Fact]
    public void Application_suspend_without_stop_scripts_is_suspended_and_resumed_for_a_restore()
    {
        var plan = JobPlanner.PlanRestore(Site, new RestoreRequest("app-1"));

        plan.Steps.Where(s => s.Kind == PlanStepKind.RunScript).Select(s => $"{s.Role} {s.Script!.Name}").Should().Equal(
            "StopPrograms app-suspend/pre-backup", "StartPrograms app-suspend/post-backup");
    }

    [Fact]
    public void Unknown_ids_are_argument_errors()
    {
        FluentActions.Invoking(() => JobPlanner.PlanBackup(Site, "weekly")).Should().Throw<ArgumentException>().WithMessage("*no job 'weekly'*");
        FluentActions.Invoking(() => JobPlanner.PlanRestore(Site, new RestoreRequest("db-9"))).Should().Throw<ArgumentException>();
    }
}

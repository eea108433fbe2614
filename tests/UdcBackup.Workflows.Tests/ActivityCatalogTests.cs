using System.Text.Json;
using UdcBackup.Activities.Catalog;
using UdcBackup.Activities.Firewall;
using UdcBackup.Activities.Metadata;
using UdcBackup.Activities.Systems;
using UdcBackup.Durable.Failures;

namespace UdcBackup.Workflows.Tests;

/// <summary>The metadata the designer reads: every product activity described, and validation from the declarations.</summary>
public sealed class ActivityCatalogTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private static readonly ActivityCatalog Catalog = ActivityCatalog.FromTypes([typeof(FirewallActivities), typeof(SystemActivities), typeof(CatalogActivities)]);

    [Fact]
    public void Every_activity_is_described_with_category_summary_and_typed_inputs()
    {
        Catalog.Activities.Select(a => a.Name).Should().BeEquivalentTo(
            "firewall.open-windows", "firewall.close-windows", "firewall.close-job-windows",
            "system.run-script", "system.stop-programs", "system.start-programs",
            "data.stream-backup", "data.stream-restore", "data.check-restore-target",
            "catalog.record-snapshot", "catalog.find-snapshot", "catalog.choose-level", "catalog.apply-retention");
        var run = Catalog.Find("system.run-script")!;
        run.Category.Should().Be("System");
        run.Summary.Should().Be("run '{script}' on {systemId}");
        run.Inputs.Single(i => i.Name == "systemId").Should().Match<ActivityInputDescriptor>(i => i.Kind == ActivityInputKind.System && i.Required && i.UiHint == "system-picker");
        run.Inputs.Single(i => i.Name == "timeoutSeconds").Default!.Value.GetInt32().Should().Be(600);
        Catalog.Find("data.stream-backup")!.Outputs.Select(o => o.Name).Should().Contain("snapshotId");
        var json = JsonSerializer.Serialize(Catalog.Activities, Web);
        json.Should().Contain("\"category\":\"Firewall\"");
    }

    [Fact]
    public void Validation_reports_every_problem_with_the_input_name()
    {
        var input = JsonDocument.Parse("""{"jobId":"j 1","systemId":"Sys_A","agentEndpoint":"host","script":"../etc/passwd","timeoutSeconds":0}""").RootElement;

        var errors = Catalog.Validate("system.run-script", input);

        errors.Select(e => e.Input).Should().BeEquivalentTo("systemId", "agentEndpoint", "script", "timeoutSeconds");
        errors.Single(e => e.Input == "timeoutSeconds").Message.Should().Contain("between 1 and 86400");
        Catalog.Validate("firewall.open-windows", JsonDocument.Parse("{}").RootElement).Select(e => e.Input).Should().BeEquivalentTo("jobId", "windows");
        Catalog.Validate("no.such", JsonDocument.Parse("{}").RootElement).Should().ContainSingle(e => e.Message.Contains("unknown activity"));
    }

    [Fact]
    public async Task An_activity_refuses_an_invalid_input_before_doing_anything_and_without_retry()
    {
        var agents = new Support.RecordingAgents();
        var activities = new SystemActivities(agents, agents);

        var failure = await FluentActions.Awaiting(() => activities.RunScriptAsync(new ScriptCallInput("job", "sys-a", "no-port", "x/../../y", [], new Dictionary<string, string>())))
            .Should().ThrowAsync<ApplicationFailureException>();

        failure.Which.ErrorType.Should().Be(ActivityInputGuard.InvalidInputErrorType);
        failure.Which.NonRetryable.Should().BeTrue();
        agents.Journal.Should().BeEmpty();
    }
}

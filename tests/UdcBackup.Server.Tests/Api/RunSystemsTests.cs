using System.Text.Json;
using UdcBackup.Server.Api.Runs;
using UdcBackup.Workflows.Backup;
using UdcBackup.Workflows.Flow;
using UdcBackup.Workflows.Restore;

namespace UdcBackup.Server.Tests.Api;

/// <summary>Which systems a run concerns, read from the inputs the built-in workflows really start with (serialized as the runtime stores them).</summary>
public sealed class RunSystemsTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public void A_backup_run_concerns_each_system_of_its_job()
    {
        var input = new BackupJobInput(
            "run-1", "nightly", 1, "media-1", "https://media", "/repo", [], [],
            [new BackupSystemSpec("db-1", "https://db-1", null, null, [], []), new BackupSystemSpec("web-1", "https://web-1", null, null, [], [])],
            new LevelSpec([DayOfWeek.Sunday], null, "UTC"), null, false, null);

        RunSystems.Of(Element(input)).Should().BeEquivalentTo(["db-1", "web-1"]);
    }

    [Fact]
    public void A_restore_concerns_the_snapshot_owner_and_the_target()
    {
        var input = new RestoreInput("run-2", "snap-1", "db-1", "db-2", "https://db-2", "media-1", "https://media", "/repo", [], [], null, null, [], "op", "admin");

        RunSystems.Of(Element(input)).Should().BeEquivalentTo(["db-1", "db-2"]);
    }

    [Fact]
    public void A_flow_concerns_the_systems_its_nodes_name_and_those_of_a_zone_it_walks_but_not_the_rest_of_its_site_copy()
    {
        var nodes = new List<FlowNode>
        {
            new("open", FlowKinds.Activity, null, null, "firewall.open-port", Inputs(("system", "billing-db")), null, null),
            new("each", FlowKinds.ForEach, null, null, null, null, Inputs(("source", "zone"), ("value", "ops")), null),
        };
        var site = new FlowSite(
            1,
            [System("billing-db", "core"), System("ops-1", "ops"), System("ops-2", "ops"), System("unrelated", "core")],
            [],
            []);
        var input = new FlowRunInput("f", 1, new FlowDocument(FlowDocument.SchemaV1, "f", "F", null, 1, "published", nodes, []), null, site);

        RunSystems.Of(Element(input)).Should().BeEquivalentTo(["billing-db", "ops-1", "ops-2"]);
        RunSystems.Concerns(Element(input), "unrelated").Should().BeFalse();
    }

    [Fact]
    public void A_run_without_input_or_naming_no_system_concerns_none()
    {
        RunSystems.Of(null).Should().BeEmpty();
        RunSystems.Of(JsonDocument.Parse("""{"steps":3,"stepMillis":10}""").RootElement).Should().BeEmpty();
    }

    private static JsonElement Element(object value) => JsonSerializer.SerializeToElement(value, value.GetType(), Web);

    private static Dictionary<string, JsonElement> Inputs(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => JsonSerializer.SerializeToElement(p.Value));

    private static FlowSiteSystem System(string id, string zone) => new(id, zone, $"https://{id}", "192.0.2.1", "none", null, null, 0, [], []);
}

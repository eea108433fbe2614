using System.Text.Json;
using UdcBackup.Activities.Catalog;
using UdcBackup.Activities.Systems;
using UdcBackup.Durable.Client;
using UdcBackup.Durable.History;
using UdcBackup.Site.Model;
using UdcBackup.Site.Planning;
using UdcBackup.Workflows.Restore;
using UdcBackup.Workflows.Tests.Support;

namespace UdcBackup.Workflows.Tests;

/// <summary>
/// A restore of selected paths (<c>--path</c>): the input builder narrows the data sets to the paths
/// inside them and leaves out the others, so the target check, the stream and a replace data set's
/// replace roots see only the selection; a path outside every data set starts nothing.
/// sys-a's data sets: pgdata <c>/srv/a/data</c> (merge) and, here restored with replace, label <c>/srv/a/label</c>.
/// </summary>
[Collection(ZonesCollection.Name)]
public sealed class RestorePathsTests(ZonesFixture zones)
{
    private const string SnapshotOfA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public void Selected_paths_narrow_the_data_sets_they_lie_in_and_leave_the_others_out()
    {
        var input = Input("narrow", ["/srv/a/label/backup_label", "/srv/a/label/backup_label", "/srv/a/label/tablespace_map"]);

        input.DataSets.Should().ContainSingle().Which.Should().BeEquivalentTo(
            new DataSetSpec("label", ["/srv/a/label/backup_label", "/srv/a/label/tablespace_map"], [], Replace: true),
            "a data set keeps its name, excludes and restore mode; pgdata has no selected path");
        input.Paths.Should().Equal("/srv/a/label/backup_label", "/srv/a/label/tablespace_map");
        input.Problems().Should().BeEmpty();
    }

    [Fact]
    public void A_path_equal_to_a_data_sets_path_keeps_that_data_set_whole_and_a_path_below_another_selected_one_adds_nothing()
    {
        var input = Input("equal", ["/srv/a/data/base/1", "/srv/a/data", "/srv/a/label"]);

        input.DataSets.Select(d => (d.Name, string.Join(' ', d.Paths), string.Join(' ', d.Excludes))).Should().Equal(
            ("pgdata", "/srv/a/data", "pg_wal/*"), ("label", "/srv/a/label", string.Empty));
    }

    [Fact]
    public void Without_paths_every_data_set_is_restored_whole_as_before()
    {
        var input = Input("whole", null);

        input.DataSets.Select(d => string.Join(' ', d.Paths)).Should().Equal("/srv/a/data", "/srv/a/label");
        input.Paths.Should().BeNull();
    }

    [Theory]
    [InlineData("/srv/a")]
    [InlineData("/srv/b/spool")]
    [InlineData("/srv/a/database")]
    public void A_path_outside_every_data_set_is_refused_naming_it_and_the_data_sets_paths(string path)
    {
        FluentActions.Invoking(() => Input("outside", ["/srv/a/data/base", path])).Should().Throw<ArgumentException>()
            .WithMessage($"path '{path}' is not inside a data set of sys-a: name a path equal to or below one of /srv/a/data, /srv/a/label.");
    }

    [Theory]
    [InlineData("srv/a/data")]
    [InlineData("/srv/a/data/")]
    [InlineData("/srv//a/data")]
    [InlineData("/srv/a/data/../label")]
    [InlineData("/srv/a/./data")]
    [InlineData("/")]
    [InlineData("")]
    public void A_path_that_is_not_absolute_and_normalized_is_refused(string path)
    {
        FluentActions.Invoking(() => Input("malformed", [path])).Should().Throw<ArgumentException>()
            .WithMessage($"path '{path}' is not an absolute, normalized path*");
    }

    [Theory]
    [InlineData("/srv/a/data/*.log")]
    [InlineData("/srv/a/data/file?")]
    public void A_pattern_is_refused_since_a_restore_selects_paths(string path)
    {
        FluentActions.Invoking(() => Input("pattern", [path])).Should().Throw<ArgumentException>()
            .WithMessage($"path '{path}' holds '*' or '?'*");
    }

    [Fact]
    public void A_hand_written_input_whose_data_sets_are_not_narrowed_to_its_paths_is_invalid()
    {
        var input = Input("hand", null) with { Paths = ["/srv/a/label"] };

        input.Problems().Should().Equal("dataSets path '/srv/a/data' is not one of the selected paths (/srv/a/label): narrow the data sets to them");
    }

    [Fact]
    public async Task The_target_check_and_the_stream_see_only_the_selection_and_replace_only_below_it()
    {
        await using var host = await OrchestrationHost.StartAsync();
        await host.Catalog.AddAsync(new CatalogEntry(SnapshotOfA, "sys-a", "nightly", "full", "media-1", "local", DateTimeOffset.UnixEpoch, 10, 1));
        var input = Input("run", ["/srv/a/label/backup_label", "/srv/a/data/postgresql.conf"], into: "/srv/restored");

        await host.Client.StartWorkflowAsync(RestoreWorkflow.TypeName, input, new WorkflowStartOptions { Id = input.RunId });
        await host.Client.GetResultAsync<RestoreResult>(input.RunId).WaitAsync(Deadline);

        var streamed = host.Agents.Restores.Should().ContainSingle().Subject;
        streamed.Into.Should().Be("/srv/restored");
        streamed.DataSets.SelectMany(d => d.Paths).Should().Equal("/srv/a/data/postgresql.conf", "/srv/a/label/backup_label");
        streamed.DataSets.Where(d => d.Replace).SelectMany(d => d.Paths).Should().Equal(
            ["/srv/a/label/backup_label"], "the agent order's replace roots are the replace data sets' paths: only the selection below /srv/a/label");
        var run = await host.Client.DescribeAsync(input.RunId);
        var check = run.History.Single(e => e.EventType == HistoryEventType.ActivityTaskScheduled && e.ActivityType == "data.check-restore-target").Input!.Value;
        Paths(check).Should().Equal("/srv/a/data/postgresql.conf", "/srv/a/label/backup_label");
        run.Input!.Value.GetProperty("paths").EnumerateArray().Select(p => p.GetString()).Should().Equal(
            ["/srv/a/label/backup_label", "/srv/a/data/postgresql.conf"], "the run's input shows what the operator selected");
    }

    private SiteDefinition SiteWithReplacedLabel()
    {
        var site = TestSite.Create(zones.Target);
        return site with
        {
            Systems = [
                .. site.Systems.Select(s => s.Id != "sys-a" ? s : s with
                {
                    DataSets = [.. s.DataSets.Select(d => d.Name == "label" ? d with { Restore = DataSetRestoreMode.Replace } : d)],
                }),
            ],
        };
    }

    // The check's input is the stream request as the activity records it (one argument, possibly wrapped in a list).
    private static IEnumerable<string?> Paths(JsonElement input)
    {
        var request = input.ValueKind == JsonValueKind.Array ? input[0] : input;
        return request.GetProperty("dataSets").EnumerateArray().SelectMany(d => d.GetProperty("paths").EnumerateArray()).Select(p => p.GetString());
    }

    private RestoreInput Input(string name, IReadOnlyList<string>? paths, string? into = null) =>
        RestoreInputs.FromSite(SiteWithReplacedLabel(), new RestoreRequest("sys-a"), SnapshotOfA, $"restore-{name}-{Guid.NewGuid():N}"[..40], "operator", null, into, paths);
}

using System.Text.Json;
using Microsoft.Data.Sqlite;
using UdcBackup.Durable.Client;
using UdcBackup.Durable.History;
using UdcBackup.Durable.Storage;
using UdcBackup.Durable.Tests.Support;
using UdcBackup.Durable.Tests.Workflows;

namespace UdcBackup.Durable.Tests;

/// <summary>Search attributes: written with each run by the host's rules, listed through their index with exact pages, derived again for old databases.</summary>
public sealed class SearchAttributeTests : IDisposable
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly string directory = Path.Combine(Path.GetTempPath(), "udc-durable-tests", Guid.NewGuid().ToString("N"));
    private readonly TestActivities activities = new();

    private string DatabasePath => Path.Combine(directory, "store.db");

    [Fact]
    public async Task A_listing_by_attribute_pages_exactly_through_one_label_among_many_runs()
    {
        await using var store = new SqliteWorkflowStore(DatabasePath);
        await store.InitializeAsync();
        // 400 runs, ten per start time (ties are ordered by creation), every seventh labelled "a";
        // some carry "a" twice through two values of another label, and a few carry "b" as well.
        // Run ids do not follow creation order, so ordering ties by id instead of creation would show.
        var sets = new List<StoreWriteSet>();
        var labelled = new HashSet<string>();
        for (var i = 0; i < 400; i++)
        {
            var runId = $"run-{i * 37 % 400:D3}";
            var labels = new List<SearchAttribute>();
            if (i % 7 == 0)
            {
                labels.Add(new("system", "a"));
                labelled.Add(runId);
            }

            if (i % 5 == 0)
            {
                labels.Add(new("system", "b"));
            }

            sets.Add(NewRun($"w{i}", runId, T0.AddSeconds(i / 10), i % 3 == 0 ? "typed" : "t", labels));
        }

        await store.CommitAsync(sets);

        var all = await store.ListExecutionsAsync(new WorkflowListFilter(Limit: 1000));
        var expected = all.Where(r => labelled.Contains(r.RunId)).Select(r => r.RunId).ToList();
        expected.Should().HaveCount(58);

        var paged = new List<string>();
        string? cursor = null;
        while (true)
        {
            var page = await store.ListExecutionsAsync(new WorkflowListFilter(Limit: 9) { Attribute = new("system", "a"), AfterRunId = cursor });
            paged.AddRange(page.Select(r => r.RunId));
            if (page.Count < 9)
            {
                break;
            }

            cursor = page[^1].RunId;
        }

        paged.Should().Equal(expected, "pages of one label follow the listing's own order with no run skipped or repeated");

        var typed = await store.ListExecutionsAsync(new WorkflowListFilter("typed", Limit: 1000) { Attribute = new("system", "a"), StartedAfter = T0.AddSeconds(10), StartedBefore = T0.AddSeconds(30) });
        typed.Select(r => r.RunId).Should().Equal(all
            .Where(r => r.WorkflowType == "typed" && r.StartTime >= T0.AddSeconds(10) && r.StartTime < T0.AddSeconds(30) && expected.Contains(r.RunId))
            .Select(r => r.RunId));
        typed.Should().NotBeEmpty();
        (await store.ListExecutionsAsync(new WorkflowListFilter() { Attribute = new("system", "nobody") })).Should().BeEmpty();
        (await store.ListExecutionsAsync(new WorkflowListFilter() { Attribute = new("other", "a") })).Should().BeEmpty("the name is part of the match");
    }

    [Fact]
    public async Task A_listing_by_attribute_reads_the_attribute_index_not_every_run()
    {
        await using (var store = new SqliteWorkflowStore(DatabasePath))
        {
            await store.InitializeAsync();
        }

        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            EXPLAIN QUERY PLAN SELECT e.run_id FROM search_attributes a JOIN executions e ON e.run_id = a.run_id
            WHERE a.name = 'system' AND a.value = 'a' AND e.status = 2
            ORDER BY a.start_time DESC, e.rowid DESC LIMIT 10;
            """;
        using var reader = command.ExecuteReader();
        var plan = new List<string>();
        while (reader.Read())
        {
            plan.Add(reader.GetString(3));
        }

        plan.Should().Contain(p => p.Contains("SEARCH a USING PRIMARY KEY (name=? AND value=?)", StringComparison.Ordinal), string.Join(" | ", plan));
        plan.Should().Contain(p => p.StartsWith("SEARCH e USING INDEX", StringComparison.Ordinal), string.Join(" | ", plan));
        plan.Should().NotContain(p => p.StartsWith("SCAN", StringComparison.Ordinal), string.Join(" | ", plan));
    }

    [Fact]
    public async Task Starts_and_child_starts_record_the_attributes_the_rules_derive_from_the_input()
    {
        await using var host = await TestHost.StartAsync(o => Register(o, new SearchAttributeRules("keys-1", KeyOf)), directory: directory);
        await host.Client.StartWorkflowAsync("test.parent", new ParentInput("p1", 2, false), new WorkflowStartOptions { Id = "p1" });
        await host.Client.StartWorkflowAsync("test.child", new ChildInput("other", 1, false), new WorkflowStartOptions { Id = "o1" });
        (await host.Client.GetResultAsync<string>("p1").WaitAsync(TimeSpan.FromSeconds(10))).Should().Be("sum:30");

        var p1 = await host.Client.ListAsync(new WorkflowListFilter { Attribute = new("key", "p1") });
        p1.Select(r => r.WorkflowType).Should().BeEquivalentTo(["test.parent", "test.child", "test.child"], "the children's input names the same key");
        (await host.Client.ListAsync(new WorkflowListFilter { Attribute = new("key", "other") })).Should().ContainSingle().Which.WorkflowId.Should().Be("o1");
        (await host.Client.ListAsync(new WorkflowListFilter { Attribute = new("type", "test.parent") })).Should().ContainSingle("rules see the workflow type too");
    }

    [Fact]
    public async Task Runs_of_a_database_from_before_attributes_get_them_at_the_next_start_and_again_when_the_rules_change()
    {
        var rules = new SearchAttributeRules("keys-1", KeyOf);
        await using (var host = await TestHost.StartAsync(o => Register(o, null), directory: directory))
        {
            await host.Client.StartWorkflowAsync("test.child", new ChildInput("old", 1, false), new WorkflowStartOptions { Id = "old-1" });
            await host.Client.StartWorkflowAsync("test.child", new ChildInput("old", 2, false), new WorkflowStartOptions { Id = "old-2" });
            await host.Client.GetResultAsync<int>("old-2").WaitAsync(TimeSpan.FromSeconds(10));
        }

        // Make it the schema of the last release: no attribute tables, version 3.
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(directory, "workflows.db")};Pooling=False"))
        {
            connection.Open();
            using var downgrade = connection.CreateCommand();
            downgrade.CommandText = "DROP TABLE search_attributes; DROP TABLE store_settings; DELETE FROM schema_version WHERE version >= 4;";
            downgrade.ExecuteNonQuery();
        }

        await using (var host = await TestHost.StartAsync(o => Register(o, rules), directory: directory))
        {
            (await host.Client.ListAsync(new WorkflowListFilter { Attribute = new("key", "old") })).Select(r => r.WorkflowId).Should().Equal("old-2", "old-1");
            await host.Client.StartWorkflowAsync("test.child", new ChildInput("old", 3, false), new WorkflowStartOptions { Id = "new-3" });
            (await host.Client.ListAsync(new WorkflowListFilter { Attribute = new("key", "old") })).Should().HaveCount(3);
            await host.Client.GetResultAsync<int>("new-3").WaitAsync(TimeSpan.FromSeconds(10));
        }

        // New rules: every stored run is labelled by them, and the old labels are gone.
        var upper = new SearchAttributeRules("keys-2", (type, input) => KeyOf(type, input).Select(a => a with { Value = a.Value.ToUpperInvariant() }));
        await using (var host = await TestHost.StartAsync(o => Register(o, upper), directory: directory))
        {
            (await host.Client.ListAsync(new WorkflowListFilter { Attribute = new("key", "OLD") })).Should().HaveCount(3);
            (await host.Client.ListAsync(new WorkflowListFilter { Attribute = new("key", "old") })).Should().BeEmpty();
            (await host.Store.GetSearchAttributesVersionAsync()).Should().Be("keys-2");
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static IEnumerable<SearchAttribute> KeyOf(string workflowType, JsonElement? input)
    {
        yield return new("type", workflowType);
        if (input is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty("key", out var key) && key.ValueKind == JsonValueKind.String)
        {
            yield return new("key", key.GetString()!);
        }
    }

    private void Register(DurableRuntimeOptions options, SearchAttributeRules? rules)
    {
        options.AddWorkflow<ParentWorkflow>().AddWorkflow<ChildWorkflow>().AddActivities(activities);
        options.SearchAttributes = rules;
    }

    private static StoreWriteSet NewRun(string workflowId, string runId, DateTime start, string type, IReadOnlyList<SearchAttribute> attributes)
    {
        var set = new StoreWriteSet();
        set.NewExecutions.Add(new ExecutionRecord(workflowId, runId, type, WorkflowExecutionStatus.Running, start, null, null, null, null, null, null, null, null, null) { SearchAttributes = attributes });
        set.Events.Add(new StoredEvent(runId, new HistoryEvent { EventId = 1, EventType = HistoryEventType.WorkflowExecutionStarted, Timestamp = start, WorkflowType = type }));
        return set;
    }
}

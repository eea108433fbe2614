using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using UdcBackup.Durable.Client;
using UdcBackup.Durable.History;
using UdcBackup.Durable.Storage;

namespace UdcBackup.Server.Tests.Api;

/// <summary>
/// The runs list's system filter reads the store's <c>system</c> search attribute: a controller
/// started on a database from before attributes labels its old runs from their input, and a
/// system's runs page exactly (full pages, no gap, no repeat) however many other runs lie between
/// them, more than the 5,000 runs one request used to read at most.
/// </summary>
public sealed class RunListSystemIndexTests : IAsyncLifetime
{
    private const int Others = 6000;
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly string _directory = Directory.CreateTempSubdirectory("udc-server-test-").FullName;
    private readonly List<string> _needles = [];
    private ServerProcess? _server;

    public async Task InitializeAsync()
    {
        await WriteOldDatabaseAsync();
        _server = await ServerProcess.StartAsync(_directory);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_systems_old_runs_page_exactly_among_thousands_of_other_runs()
    {
        var pages = new List<List<string>>();
        string? next = "/api/workflows?system=needle&limit=2";
        while (next is not null && pages.Count < 10)
        {
            var (runs, link) = await ListAsync(next);
            pages.Add(runs);
            next = link;
        }

        pages.SelectMany(p => p).Should().Equal(Enumerable.Reverse(_needles), "every run of the system, newest first, once");
        pages.Select(p => p.Count).Should().Equal([2, 2], "every page is full, and the oldest run is found beyond 5,000 others");
        next.Should().BeNull("the last page has no next link");

        var (reverse, _) = await ListAsync("/api/workflows?system=reverse-needle&limit=10");
        reverse.Should().Equal([_needles[0]], "the target of a restore is one of the systems it concerns");
        var (recent, _) = await ListAsync($"/api/workflows?system=needle&startedAfter={Uri.EscapeDataString(T0.AddSeconds(3000).ToString("O"))}");
        recent.Should().Equal(_needles[^1], _needles[^2], _needles[^3]);
    }

    // A version 3 database (before search attributes) holding closed runs: the system's runs are
    // the three newest and the oldest, with 5,979 other systems' runs between them.
    private async Task WriteOldDatabaseAsync()
    {
        var path = Path.Combine(_directory, "workflows.db");
        await using (var store = new SqliteWorkflowStore(path))
        {
            await store.InitializeAsync();
            var sets = new List<StoreWriteSet>();
            for (var i = 0; i <= Others; i++)
            {
                var needle = i == 0 || (i >= Others - 20 && i % 10 == 0);
                var runId = $"old-{i:D5}";
                var input = needle
                    ? (i == 0 ? new { snapshotSystemId = "needle", targetSystemId = "reverse-needle" } : (object)new { steps = 1, target = new { systemId = "needle" } })
                    : new { steps = 1, target = new { systemId = $"other-{i % 97}" } };
                if (needle)
                {
                    _needles.Add($"w-{i}");
                }

                var start = T0.AddSeconds(i);
                var json = JsonSerializer.SerializeToElement(input);
                var set = new StoreWriteSet();
                set.NewExecutions.Add(new ExecutionRecord($"w-{i}", runId, i == 0 ? "restore" : "diag.steps", WorkflowExecutionStatus.Completed, start, start.AddSeconds(1), json, null, null, null, null, null, null, null));
                set.Events.Add(new StoredEvent(runId, new HistoryEvent { EventId = 1, EventType = HistoryEventType.WorkflowExecutionStarted, Timestamp = start, WorkflowType = "diag.steps", Input = json }));
                sets.Add(set);
            }

            (await store.CommitAsync(sets)).Should().AllSatisfy(accepted => accepted.Should().BeTrue());
        }

        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var downgrade = connection.CreateCommand();
        downgrade.CommandText = "DROP TABLE search_attributes; DROP TABLE store_settings; DELETE FROM schema_version WHERE version >= 4;";
        downgrade.ExecuteNonQuery();
    }

    private async Task<(List<string> Runs, string? Next)> ListAsync(string path)
    {
        using var response = await _server!.Http.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        var runs = JsonDocument.Parse(body).RootElement.EnumerateArray().Select(r => r.GetProperty("workflowId").GetString()!).ToList();
        string? next = null;
        if (response.Headers.TryGetValues("Link", out var links))
        {
            var link = links.Single();
            next = link[(link.IndexOf('<', StringComparison.Ordinal) + 1)..link.IndexOf('>', StringComparison.Ordinal)];
        }

        return (runs, next);
    }
}

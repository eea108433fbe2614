using Microsoft.Data.Sqlite;
using UdcBackup.Durable.Client;
using UdcBackup.Durable.History;
using UdcBackup.Durable.Storage;

namespace UdcBackup.Durable.Tests;

public sealed class StoreTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "udc-durable-tests", Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(directory, "store.db");

    [Fact]
    public async Task A_new_database_is_migrated_to_the_latest_schema_in_wal_mode()
    {
        await using (var store = new SqliteWorkflowStore(DatabasePath))
        {
            await store.InitializeAsync();
        }

        using var connection = Open();
        Scalar(connection, "SELECT MAX(version) FROM schema_version").Should().Be(SqliteWorkflowStore.SchemaVersion);
        Scalar(connection, "PRAGMA journal_mode").Should().Be("wal");
        Scalar(connection, "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('executions','history_events','activity_tasks','timers','schedules')").Should().Be(5L);
    }

    [Fact]
    public async Task A_database_with_a_newer_schema_is_refused()
    {
        await using (var store = new SqliteWorkflowStore(DatabasePath))
        {
            await store.InitializeAsync();
        }

        using (var connection = Open())
        {
            Execute(connection, "INSERT INTO schema_version (version, description, applied_at) VALUES (99, 'future', 0)");
        }

        await using var newer = new SqliteWorkflowStore(DatabasePath);
        var act = () => newer.InitializeAsync();
        (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("99");
    }

    [Fact]
    public async Task A_conflicting_start_rejects_only_its_own_set_of_a_batch()
    {
        await using var store = new SqliteWorkflowStore(DatabasePath);
        await store.InitializeAsync();
        var now = DateTime.UtcNow;

        var batch = new[] { NewRun("same", "run-a", now), NewRun("same", "run-b", now), NewRun("other", "run-c", now) };
        var accepted = await store.CommitAsync(batch);

        accepted.Should().Equal(true, false, true);
        (await store.LoadHistoryAsync("run-b")).Should().BeEmpty("nothing of a rejected set is written");
        (await store.LoadHistoryAsync("run-c")).Should().ContainSingle();
        (await store.GetExecutionAsync("same"))!.RunId.Should().Be("run-a");
    }

    [Fact]
    public async Task Leases_keep_other_owners_away_until_they_expire()
    {
        await using var store = new SqliteWorkflowStore(DatabasePath);
        await store.InitializeAsync();
        var now = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        await store.CommitAsync([NewRun("leased", "run-1", now, owner: null)]);

        (await store.ClaimRunningExecutionsAsync("node-a", now, now.AddSeconds(30))).Should().ContainSingle();
        (await store.ClaimRunningExecutionsAsync("node-b", now.AddSeconds(10), now.AddSeconds(40))).Should().BeEmpty("node-a holds the lease");
        await store.RenewLeasesAsync("node-a", now.AddSeconds(60));
        (await store.ClaimRunningExecutionsAsync("node-b", now.AddSeconds(45), now.AddSeconds(75))).Should().BeEmpty("the lease was renewed");
        var taken = await store.ClaimRunningExecutionsAsync("node-b", now.AddSeconds(61), now.AddSeconds(91));
        taken.Should().ContainSingle().Which.OwnerId.Should().Be("node-b", "a dead node's work is taken over");
        await store.ReleaseLeasesAsync("node-b");
        (await store.GetExecutionAsync("leased"))!.OwnerId.Should().BeNull();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static StoreWriteSet NewRun(string workflowId, string runId, DateTime now, string? owner = "test")
    {
        var set = new StoreWriteSet();
        set.NewExecutions.Add(new ExecutionRecord(workflowId, runId, "t", WorkflowExecutionStatus.Running, now, null, null, null, null, null, null, null, owner, owner is null ? null : now.AddMinutes(1)));
        set.Events.Add(new StoredEvent(runId, new HistoryEvent { EventId = 1, EventType = HistoryEventType.WorkflowExecutionStarted, Timestamp = now, WorkflowType = "t" }));
        return set;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        return connection;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

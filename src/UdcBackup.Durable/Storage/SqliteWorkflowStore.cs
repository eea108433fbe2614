using System.Text.Json;
using Microsoft.Data.Sqlite;
using UdcBackup.Durable.Client;
using UdcBackup.Durable.Failures;
using UdcBackup.Durable.History;
using UdcBackup.Durable.Runtime;

namespace UdcBackup.Durable.Storage;

/// <summary>
/// The embedded store: one SQLite file in WAL mode. Writes go through one connection owned by
/// the runtime's single writer; each <see cref="CommitAsync"/> is one transaction (group commit)
/// with prepared statements reused across batches. Reads open pooled connections and run
/// concurrently with the writer (WAL readers see the last committed state). A database whose
/// schema is newer than this code is refused rather than misread.
/// </summary>
public sealed partial class SqliteWorkflowStore : IWorkflowStore
{
    private readonly SqliteWorkflowStoreOptions options;
    private readonly string connectionString;
    private readonly Lock writeGate = new();
    private SqliteConnection? writer;
    private WriteStatements? statements;

    public SqliteWorkflowStore(SqliteWorkflowStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Path);
        this.options = options;
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        }.ToString();
    }

    public SqliteWorkflowStore(string path)
        : this(new SqliteWorkflowStoreOptions { Path = path })
    {
    }

    /// <summary>Gets the schema version this code writes.</summary>
    public static int SchemaVersion => SqliteMigrations.Latest;

    public Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        lock (writeGate)
        {
            if (writer is not null)
            {
                return Task.CompletedTask;
            }

            if (Path.GetDirectoryName(Path.GetFullPath(options.Path)) is { } folder)
            {
                Directory.CreateDirectory(folder);
            }

            var connection = new SqliteConnection(connectionString);
            connection.Open();
            try
            {
                Execute(connection, "PRAGMA journal_mode=WAL;");
                Execute(connection, options.Synchronous == SqliteSynchronousMode.Full ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;");
                Execute(connection, $"PRAGMA busy_timeout={(int)options.BusyTimeout.TotalMilliseconds};");
                Migrate(connection);
            }
            catch
            {
                connection.Dispose();
                throw;
            }

            writer = connection;
            statements = new WriteStatements(connection);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<bool>> CommitAsync(IReadOnlyList<StoreWriteSet> sets, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sets);
        lock (writeGate)
        {
            var connection = writer ?? throw new InvalidOperationException("The store is not initialised.");
            var s = statements!;
            var accepted = new bool[sets.Count];
            using var transaction = connection.BeginTransaction();
            for (var i = 0; i < sets.Count; i++)
            {
                var set = sets[i];
                // A set that creates its fenced run (a start written with its first step) has nothing to check yet.
                if (set.Fence is { } fence && !set.NewExecutions.Exists(e => e.RunId == fence.RunId) && !s.FenceHolds(fence))
                {
                    set.RejectedByFence = true;
                    continue;
                }

                if (set.NewExecutions.Exists(e => s.Conflicts(e.WorkflowId, set.RejectAnyExisting)))
                {
                    continue;
                }

                // Checked in the transaction that would insert the run (BEGIN IMMEDIATE: one writer per database file, whatever the process).
                if (set.NewExecutions.Select(s.HeldKey).FirstOrDefault(h => h is not null) is { } held)
                {
                    set.HeldKey = held;
                    continue;
                }

                accepted[i] = true;
                s.Apply(set);
            }

            transaction.Commit();
            return Task.FromResult<IReadOnlyList<bool>>(accepted);
        }
    }

    public Task<IReadOnlyList<ExecutionRecord>> ClaimRunningExecutionsAsync(string ownerId, DateTime now, DateTime leaseExpiresAt, CancellationToken cancellationToken = default) =>
        Task.FromResult(Claim("owner_id IS NULL OR owner_id = $owner OR lease_expires_at < $now", ownerId, now, leaseExpiresAt, null));

    public Task<IReadOnlyList<ExecutionRecord>> TakeOverExpiredExecutionsAsync(string ownerId, DateTime now, DateTime leaseExpiresAt, CancellationToken cancellationToken = default) =>
        Task.FromResult(Claim("owner_id IS NULL OR (owner_id <> $owner AND lease_expires_at < $now)", ownerId, now, leaseExpiresAt, null));

    public Task<ExecutionRecord?> ClaimExecutionAsync(string runId, string ownerId, DateTime now, DateTime leaseExpiresAt, CancellationToken cancellationToken = default) =>
        Task.FromResult(Claim("owner_id IS NULL OR owner_id = $owner OR lease_expires_at < $now", ownerId, now, leaseExpiresAt, runId) is [var one] ? one : null);

    public Task<IReadOnlyDictionary<string, long>> RenewLeasesAsync(string ownerId, DateTime leaseExpiresAt, CancellationToken cancellationToken = default)
    {
        lock (writeGate)
        {
            using var command = Writer.CreateCommand();
            command.CommandText = "UPDATE executions SET lease_expires_at = $expires WHERE owner_id = $owner AND status = 1 RETURNING run_id, lease_epoch;";
            command.Parameters.AddWithValue("$owner", ownerId);
            command.Parameters.AddWithValue("$expires", leaseExpiresAt.Ticks);
            using var reader = command.ExecuteReader();
            var renewed = new Dictionary<string, long>(StringComparer.Ordinal);
            while (reader.Read())
            {
                renewed[reader.GetString(0)] = reader.GetInt64(1);
            }

            return Task.FromResult<IReadOnlyDictionary<string, long>>(renewed);
        }
    }

    public Task ReleaseLeasesAsync(string ownerId, CancellationToken cancellationToken = default)
    {
        lock (writeGate)
        {
            if (writer is null)
            {
                return Task.CompletedTask;
            }

            using var command = writer.CreateCommand();
            command.CommandText = "UPDATE executions SET owner_id = NULL, lease_expires_at = NULL WHERE owner_id = $owner AND status = 1;";
            command.Parameters.AddWithValue("$owner", ownerId);
            command.ExecuteNonQuery();
        }

        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        lock (writeGate)
        {
            statements?.Dispose();
            statements = null;
            if (writer is not null)
            {
                // Checkpoint so the WAL does not outlive the process needlessly.
                try
                {
                    Execute(writer, "PRAGMA wal_checkpoint(TRUNCATE);");
                }
                catch (SqliteException)
                {
                    // A reader still holds the WAL; the next open checkpoints.
                }

                writer.Dispose();
                writer = null;
            }
        }

        SqliteConnection.ClearPool(new SqliteConnection(connectionString));
        return ValueTask.CompletedTask;
    }

    /// <summary>Claims running runs matching <paramref name="condition"/> (one run if <paramref name="runId"/> is given), moving each one's epoch on by one.</summary>
    private IReadOnlyList<ExecutionRecord> Claim(string condition, string ownerId, DateTime now, DateTime leaseExpiresAt, string? runId)
    {
        lock (writeGate)
        {
            using var command = Writer.CreateCommand();
            command.CommandText = $"""
                UPDATE executions SET owner_id = $owner, lease_expires_at = $expires, lease_epoch = lease_epoch + 1
                WHERE status = 1 AND ($run IS NULL OR run_id = $run) AND ({condition})
                RETURNING {ExecutionColumns};
                """;
            command.Parameters.AddWithValue("$owner", ownerId);
            command.Parameters.AddWithValue("$expires", leaseExpiresAt.Ticks);
            command.Parameters.AddWithValue("$now", now.Ticks);
            command.Parameters.AddWithValue("$run", (object?)runId ?? DBNull.Value);
            using var reader = command.ExecuteReader();
            var list = new List<ExecutionRecord>();
            while (reader.Read())
            {
                list.Add(ReadExecution(reader));
            }

            return [.. list.OrderBy(r => r.StartTime)];
        }
    }

    private SqliteConnection Writer => writer ?? throw new InvalidOperationException("The store is not initialised.");

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static void Migrate(SqliteConnection connection)
    {
        Execute(connection, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL);");
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version;";
        var current = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (current > SqliteMigrations.Latest)
        {
            throw new InvalidOperationException($"The workflow database has schema version {current}, newer than this program knows ({SqliteMigrations.Latest}); upgrade the program instead of opening it with an older one.");
        }

        foreach (var (version, description, sql) in SqliteMigrations.Steps)
        {
            if (version <= current)
            {
                continue;
            }

            using var transaction = connection.BeginTransaction();
            using (var step = connection.CreateCommand())
            {
                step.Transaction = transaction;
                step.CommandText = sql;
                step.ExecuteNonQuery();
            }

            using (var mark = connection.CreateCommand())
            {
                mark.Transaction = transaction;
                mark.CommandText = "INSERT INTO schema_version (version, description, applied_at) VALUES ($v, $d, $t);";
                mark.Parameters.AddWithValue("$v", version);
                mark.Parameters.AddWithValue("$d", description);
                mark.Parameters.AddWithValue("$t", DateTime.UtcNow.Ticks);
                mark.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    internal static string? Json<T>(T? value) => value is null ? null : JsonSerializer.Serialize(value, DurableJson.Options);

    internal static T? FromJson<T>(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? default : JsonSerializer.Deserialize<T>(reader.GetString(ordinal), DurableJson.Options);

    internal static DateTime? Time(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : new DateTime(reader.GetInt64(ordinal), DateTimeKind.Utc);
}

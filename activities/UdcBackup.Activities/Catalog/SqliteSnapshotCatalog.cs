using System.Globalization;
using Microsoft.Data.Sqlite;

namespace UdcBackup.Activities.Catalog;

/// <summary>
/// The snapshot catalog in one SQLite file (WAL) next to the workflow store:
/// <c>snapshots(snapshot_id primary key, system_id, job_id, level, media_agent, repository,
/// taken_at, bytes, files, forgotten)</c>. Adding uses <c>INSERT ... ON CONFLICT DO NOTHING</c>
/// and then reads the row back, so a concurrent or repeated add of the same id is harmless and a
/// conflicting one (other system) is detected from what is stored, not from what was meant.
/// </summary>
public sealed class SqliteSnapshotCatalog : ISnapshotCatalog
{
    private readonly string _connectionString;

    public SqliteSnapshotCatalog(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
        using var connection = Open();
        Execute(connection, "PRAGMA journal_mode=WAL;");
        Execute(connection, """
            CREATE TABLE IF NOT EXISTS snapshots (
                snapshot_id TEXT PRIMARY KEY,
                system_id TEXT NOT NULL,
                job_id TEXT NOT NULL,
                level TEXT NOT NULL,
                media_agent TEXT NOT NULL,
                repository TEXT NOT NULL,
                taken_at TEXT NOT NULL,
                bytes INTEGER NOT NULL,
                files INTEGER NOT NULL,
                forgotten INTEGER NOT NULL DEFAULT 0);
            CREATE INDEX IF NOT EXISTS snapshots_by_system ON snapshots(system_id, taken_at);
            """);
    }

    public async Task<bool> AddAsync(CatalogEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var connection = Open();
        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO snapshots (snapshot_id, system_id, job_id, level, media_agent, repository, taken_at, bytes, files)
            VALUES ($id, $system, $job, $level, $agent, $repo, $at, $bytes, $files) ON CONFLICT(snapshot_id) DO NOTHING;
            """;
        insert.Parameters.AddWithValue("$id", entry.SnapshotId);
        insert.Parameters.AddWithValue("$system", entry.SystemId);
        insert.Parameters.AddWithValue("$job", entry.JobId);
        insert.Parameters.AddWithValue("$level", entry.Level);
        insert.Parameters.AddWithValue("$agent", entry.MediaAgentId);
        insert.Parameters.AddWithValue("$repo", entry.Repository);
        insert.Parameters.AddWithValue("$at", entry.TakenAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        insert.Parameters.AddWithValue("$bytes", entry.Bytes);
        insert.Parameters.AddWithValue("$files", entry.Files);
        var added = await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
        if (added)
        {
            return true;
        }

        var stored = await FindAsync(entry.SnapshotId, cancellationToken)
            ?? throw new InvalidOperationException($"snapshot {entry.SnapshotId} neither inserted nor found");
        if (stored.SystemId != entry.SystemId || stored.JobId != entry.JobId)
        {
            throw new SnapshotCatalogConflictException(
                $"snapshot {entry.SnapshotId} is already recorded for system {stored.SystemId} (job {stored.JobId}); it cannot be recorded for {entry.SystemId} (job {entry.JobId})");
        }

        return false;
    }

    public async Task<CatalogEntry?> FindAsync(string snapshotId, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"{Select} WHERE snapshot_id = $id";
        command.Parameters.AddWithValue("$id", snapshotId);
        return (await ReadAsync(command, cancellationToken)).SingleOrDefault();
    }

    public async Task<IReadOnlyList<CatalogEntry>> ListAsync(string systemId, string? jobId = null, bool includeForgotten = false, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"{Select} WHERE system_id = $system AND ($job IS NULL OR job_id = $job) AND ($all = 1 OR forgotten = 0) ORDER BY taken_at DESC, snapshot_id";
        command.Parameters.AddWithValue("$system", systemId);
        command.Parameters.AddWithValue("$job", (object?)jobId ?? DBNull.Value);
        command.Parameters.AddWithValue("$all", includeForgotten ? 1 : 0);
        return await ReadAsync(command, cancellationToken);
    }

    public async Task MarkForgottenAsync(IReadOnlyCollection<string> snapshotIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshotIds);
        await using var connection = Open();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        foreach (var id in snapshotIds)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "UPDATE snapshots SET forgotten = 1 WHERE snapshot_id = $id";
            command.Parameters.AddWithValue("$id", id);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private const string Select = "SELECT snapshot_id, system_id, job_id, level, media_agent, repository, taken_at, bytes, files, forgotten FROM snapshots";

    private static async Task<List<CatalogEntry>> ReadAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var list = new List<CatalogEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new CatalogEntry(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                DateTimeOffset.Parse(reader.GetString(6), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                reader.GetInt64(7),
                reader.GetInt64(8),
                reader.GetInt64(9) != 0));
        }

        return list;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }
}

using System.Globalization;
using Microsoft.Data.Sqlite;
using UdcBackup.Server.Storage;

namespace UdcBackup.Server.Flows;

/// <summary>
/// Flows in <c>DATA/flows.db</c> (SQLite, WAL): <c>flows(id, name, draft, draft_revision,
/// published_version, updated_at, updated_by)</c> and <c>flow_versions(flow_id, version,
/// definition, published_at, published_by, note)</c>. A draft save (and an import over an existing
/// flow) checks the caller's base revision inside the write transaction (a stale one is a <see cref="FlowRevisionConflictException"/>
/// and changes nothing); a publish appends version n+1 in the same transaction that moves the
/// flow's pointer, so numbers are never reused and published rows are never updated.
/// </summary>
public sealed class FlowStore
{
    /// <summary>The store's file name inside the data directory.</summary>
    public const string FileName = "flows.db";

    private const string SelectFlows = "SELECT id, name, draft, draft_revision, published_version, updated_at, updated_by FROM flows";
    private readonly SqliteFile _file;

    public FlowStore(string path)
    {
        _file = new SqliteFile(path, """
            CREATE TABLE IF NOT EXISTS flows (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                draft TEXT NOT NULL,
                draft_revision INTEGER NOT NULL,
                published_version INTEGER NOT NULL,
                updated_at TEXT NOT NULL,
                updated_by TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS flow_versions (
                flow_id TEXT NOT NULL,
                version INTEGER NOT NULL,
                definition TEXT NOT NULL,
                published_at TEXT NOT NULL,
                published_by TEXT NOT NULL,
                note TEXT,
                PRIMARY KEY (flow_id, version));
            """);
    }

    public async Task<IReadOnlyList<StoredFlow>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        return await connection.QueryAsync(null, $"{SelectFlows} ORDER BY id", ReadFlow, cancellationToken);
    }

    public async Task<StoredFlow?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        return await GetAsync(connection, null, id, cancellationToken);
    }

    /// <summary>
    /// Creates the flow with its first draft, or replaces the draft of an existing one (import) when
    /// <paramref name="baseRevision"/> is its current revision; an existing flow without one, or with
    /// a stale one, is a <see cref="FlowRevisionConflictException"/> and nothing changes. Returns the stored row.
    /// </summary>
    public async Task<(StoredFlow Flow, bool Created)> CreateOrReplaceDraftAsync(string id, string name, string draft, int? baseRevision, string user, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var current = await GetAsync(connection, transaction, id, cancellationToken);
        if (current is not null && current.DraftRevision != baseRevision)
        {
            throw new FlowRevisionConflictException(current, baseRevision);
        }

        var flow = new StoredFlow(id, name, draft, (current?.DraftRevision ?? 0) + 1, current?.PublishedVersion ?? 0, now, user);
        await WriteFlowAsync(connection, transaction, flow, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (flow, current is null);
    }

    /// <summary>Saves a draft on top of <paramref name="baseRevision"/>; null when the flow does not exist.</summary>
    public async Task<StoredFlow?> SaveDraftAsync(string id, string name, string draft, int baseRevision, string user, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var current = await GetAsync(connection, transaction, id, cancellationToken);
        if (current is null)
        {
            return null;
        }

        if (current.DraftRevision != baseRevision)
        {
            throw new FlowRevisionConflictException(current, baseRevision);
        }

        var flow = current with { Name = name, Draft = draft, DraftRevision = current.DraftRevision + 1, UpdatedAt = now, UpdatedBy = user };
        await WriteFlowAsync(connection, transaction, flow, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return flow;
    }

    /// <summary>
    /// Publishes <paramref name="definition"/> as the next version. With <paramref name="revision"/>
    /// set, the draft must still be at that revision (the caller validated exactly that draft).
    /// </summary>
    public async Task<StoredFlowVersion> PublishAsync(string id, Func<int, string> definition, int? revision, string user, string? note, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        await using var connection = Open();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var current = await GetAsync(connection, transaction, id, cancellationToken) ?? throw new KeyNotFoundException($"flow {id} does not exist");
        if (revision is { } expected && current.DraftRevision != expected)
        {
            throw new FlowRevisionConflictException(current, expected);
        }

        var version = new StoredFlowVersion(id, current.PublishedVersion + 1, definition(current.PublishedVersion + 1), now, user, note);
        await connection.ExecuteAsync(
            transaction,
            "INSERT INTO flow_versions (flow_id, version, definition, published_at, published_by, note) VALUES ($id, $v, $def, $at, $by, $note)",
            cancellationToken,
            ("$id", id),
            ("$v", version.Version),
            ("$def", version.Definition),
            ("$at", Time(now)),
            ("$by", user),
            ("$note", note));

        await WriteFlowAsync(connection, transaction, current with { PublishedVersion = version.Version }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return version;
    }

    public async Task<IReadOnlyList<StoredFlowVersion>> VersionsAsync(string id, CancellationToken cancellationToken = default) =>
        await ReadVersionsAsync(id, null, cancellationToken);

    public async Task<StoredFlowVersion?> VersionAsync(string id, int version, CancellationToken cancellationToken = default) =>
        (await ReadVersionsAsync(id, version, cancellationToken)).FirstOrDefault();

    private async Task<List<StoredFlowVersion>> ReadVersionsAsync(string id, int? version, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        return await connection.QueryAsync(
            null,
            "SELECT flow_id, version, definition, published_at, published_by, note FROM flow_versions WHERE flow_id = $id AND ($v IS NULL OR version = $v) ORDER BY version",
            // GetValue gives DBNull for a NULL note.
            reader => new StoredFlowVersion(reader.GetString(0), reader.GetInt32(1), reader.GetString(2), Parse(reader.GetString(3)), reader.GetString(4), reader.GetValue(5) as string),
            cancellationToken,
            ("$id", id),
            ("$v", version));
    }

    private static async Task<StoredFlow?> GetAsync(SqliteConnection connection, SqliteTransaction? transaction, string id, CancellationToken cancellationToken) =>
        (await connection.QueryAsync(transaction, $"{SelectFlows} WHERE id = $id", ReadFlow, cancellationToken, ("$id", id))).FirstOrDefault();

    private static StoredFlow ReadFlow(SqliteDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetInt32(4), Parse(reader.GetString(5)), reader.GetString(6));

    private static Task<int> WriteFlowAsync(SqliteConnection connection, SqliteTransaction transaction, StoredFlow flow, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(
            transaction,
            """
            INSERT INTO flows (id, name, draft, draft_revision, published_version, updated_at, updated_by) VALUES ($id, $name, $draft, $rev, $pub, $at, $by)
            ON CONFLICT(id) DO UPDATE SET name = $name, draft = $draft, draft_revision = $rev, published_version = $pub, updated_at = $at, updated_by = $by
            """,
            cancellationToken,
            ("$id", flow.Id),
            ("$name", flow.Name),
            ("$draft", flow.Draft),
            ("$rev", flow.DraftRevision),
            ("$pub", flow.PublishedVersion),
            ("$at", Time(flow.UpdatedAt)),
            ("$by", flow.UpdatedBy));

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private SqliteConnection Open() => _file.Open();
}

using System.Globalization;
using Microsoft.Data.Sqlite;
using UdcBackup.Server.Storage;

namespace UdcBackup.Server.Site;

/// <summary>
/// The applied site versions in <c>DATA/site.db</c> (SQLite, WAL), next to the workflow store:
/// <c>site_versions(version, applied_at, content_hash, json)</c>. A version is only ever added,
/// never changed; adding content whose hash equals the newest version's is a no-op that returns
/// that version, so re-applying the same file changes nothing. One writer at a time (the
/// controller holds the data directory lock), inside a transaction so the number is never reused.
/// </summary>
public sealed class SiteVersionStore
{
    private readonly SqliteFile _file;

    public SiteVersionStore(string path)
    {
        _file = new SqliteFile(path, """
            CREATE TABLE IF NOT EXISTS site_versions (
                version INTEGER PRIMARY KEY,
                applied_at TEXT NOT NULL,
                content_hash TEXT NOT NULL,
                json TEXT NOT NULL);
            """);
    }

    /// <summary>Stores the content as the next version, unless it equals the newest one.</summary>
    public async Task<(SiteVersion Version, bool Unchanged)> AddAsync(string contentHash, string json, DateTimeOffset appliedAt, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var current = await ReadAsync(connection, transaction, null, cancellationToken);
        if (current is not null && current.ContentHash == contentHash)
        {
            return (current, true);
        }

        var next = new SiteVersion((current?.Version ?? 0) + 1, appliedAt, contentHash, json);
        await using var insert = connection.Command(
            transaction,
            "INSERT INTO site_versions (version, applied_at, content_hash, json) VALUES ($v, $at, $hash, $json)",
            ("$v", next.Version),
            ("$at", appliedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)),
            ("$hash", contentHash),
            ("$json", json));
        await insert.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (next, false);
    }

    /// <summary>The given version, or the newest when <paramref name="version"/> is null; null when there is none.</summary>
    public async Task<SiteVersion?> GetAsync(int? version = null, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        return await ReadAsync(connection, null, version, cancellationToken);
    }

    /// <summary>
    /// The version that stood at <paramref name="since"/> (the newest applied at or before it) and every
    /// later one, oldest first; all of them when none was applied by then, none when none ever was.
    /// </summary>
    public async Task<IReadOnlyList<SiteVersion>> ListSinceAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        await using var command = connection.Command(
            null,
            """
            SELECT version, applied_at, content_hash, json FROM site_versions
            WHERE version >= COALESCE((SELECT MAX(version) FROM site_versions WHERE applied_at <= $since), 0)
            ORDER BY version
            """,
            ("$since", since.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var versions = new List<SiteVersion>();
        while (await reader.ReadAsync(cancellationToken))
        {
            versions.Add(Read(reader));
        }

        return versions;
    }

    private static async Task<SiteVersion?> ReadAsync(SqliteConnection connection, SqliteTransaction? transaction, int? version, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(
            transaction,
            version is null
                ? "SELECT version, applied_at, content_hash, json FROM site_versions ORDER BY version DESC LIMIT 1"
                : "SELECT version, applied_at, content_hash, json FROM site_versions WHERE version = $v",
            ("$v", version));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private static SiteVersion Read(SqliteDataReader reader) =>
        new(reader.GetInt32(0), DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal), reader.GetString(2), reader.GetString(3));

    private SqliteConnection Open() => _file.Open();
}

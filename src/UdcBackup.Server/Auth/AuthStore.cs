using System.Globalization;
using Microsoft.Data.Sqlite;
using UdcBackup.Server.Storage;

namespace UdcBackup.Server.Auth;

/// <summary>
/// Users, their tokens and the audit log in <c>DATA/auth.db</c> (SQLite, WAL):
/// <c>users(name, role, password_hash, created_at, created_by, disabled_at)</c>,
/// <c>tokens(hash, user_name, kind, label, created_at, expires_at, last_used_at)</c> and
/// <c>audit(id, time, user_name, role, method, path, action, target, outcome)</c>.
/// Tokens are stored only as their SHA-256 (<see cref="ApiTokens.HashOf"/>), passwords only as
/// PBKDF2 hashes. The first admin is created in one transaction that checks the table is still
/// empty, so two racing starts cannot both create one. A token's last use is written at most once
/// a minute, so reads of the API do not turn into a write each. A disabled user's tokens resolve to
/// nobody (they stay, so enabling the user again restores its tokens); deleting a user deletes its
/// tokens with it. Removing or disabling a user checks, inside the same transaction, that an
/// enabled admin remains, so two admins removing each other cannot leave none.
/// </summary>
public sealed partial class AuthStore
{
    /// <summary>The kind of a token minted by <c>POST /api/users/{user}/tokens</c> (no expiry).</summary>
    public const string ApiKind = "api";

    /// <summary>The kind of a token minted by a sign-in (expires, revoked by sign-out).</summary>
    public const string SessionKind = "session";

    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);
    private readonly SqliteFile _file;

    public AuthStore(string path)
    {
        _file = new SqliteFile(path, """
            CREATE TABLE IF NOT EXISTS users (
                name TEXT PRIMARY KEY,
                role TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                created_at TEXT NOT NULL,
                created_by TEXT);
            CREATE TABLE IF NOT EXISTS tokens (
                hash TEXT PRIMARY KEY,
                user_name TEXT NOT NULL REFERENCES users(name),
                kind TEXT NOT NULL,
                label TEXT,
                created_at TEXT NOT NULL,
                expires_at TEXT,
                last_used_at TEXT);
            CREATE TABLE IF NOT EXISTS audit (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                time TEXT NOT NULL,
                user_name TEXT,
                role TEXT,
                method TEXT NOT NULL,
                path TEXT NOT NULL,
                action TEXT NOT NULL,
                target TEXT,
                outcome INTEGER NOT NULL);
            """, pooling: true);
        Path = path;
        using var connection = Open();
        AddColumnIfMissing(connection, "users", "disabled_at", "TEXT");
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>Whether any user exists.</summary>
    public bool HasUsers()
    {
        using var connection = Open();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT EXISTS (SELECT 1 FROM users)";
        return Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture) == 1;
    }

    /// <summary>
    /// Creates the first user as <c>admin</c> with its bootstrap API token, only if there is no user
    /// at all; false (and nothing written) when users exist.
    /// </summary>
    public bool TryCreateFirstAdmin(string name, string passwordHash, string tokenHash, DateTimeOffset now)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        using (var count = connection.CreateCommand())
        {
            count.Transaction = transaction;
            count.CommandText = "SELECT COUNT(*) FROM users";
            if (Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture) > 0)
            {
                return false;
            }
        }

        using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO users (name, role, password_hash, created_at, created_by) VALUES ($name, 'admin', $hash, $at, NULL);
                INSERT INTO tokens (hash, user_name, kind, label, created_at) VALUES ($token, $name, 'api', 'bootstrap', $at);
                """;
            insert.Parameters.AddWithValue("$name", name);
            insert.Parameters.AddWithValue("$hash", passwordHash);
            insert.Parameters.AddWithValue("$token", tokenHash);
            insert.Parameters.AddWithValue("$at", Format(now));
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
        return true;
    }

    /// <summary>Adds a user; false when the name is taken.</summary>
    public async Task<bool> CreateUserAsync(string name, UserRole role, string passwordHash, string? createdBy, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO users (name, role, password_hash, created_at, created_by) VALUES ($name, $role, $hash, $at, $by) ON CONFLICT(name) DO NOTHING";
        insert.Parameters.AddWithValue("$name", name);
        insert.Parameters.AddWithValue("$role", role.Name());
        insert.Parameters.AddWithValue("$hash", passwordHash);
        insert.Parameters.AddWithValue("$at", Format(now));
        insert.Parameters.AddWithValue("$by", (object?)createdBy ?? DBNull.Value);
        return await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>The user with that name, or null.</summary>
    public async Task<StoredUser?> FindUserAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, role, password_hash, created_at, created_by, disabled_at FROM users WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadUser(reader) : null;
    }

    /// <summary>Every user, by name.</summary>
    public async Task<IReadOnlyList<StoredUser>> ListUsersAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, role, password_hash, created_at, created_by, disabled_at FROM users ORDER BY name";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var users = new List<StoredUser>();
        while (await reader.ReadAsync(cancellationToken))
        {
            users.Add(ReadUser(reader));
        }

        return users;
    }

    /// <summary>Stores a token (by its hash) for a user.</summary>
    public async Task AddTokenAsync(string tokenHash, string user, string kind, string? label, DateTimeOffset now, DateTimeOffset? expiresAt, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO tokens (hash, user_name, kind, label, created_at, expires_at) VALUES ($hash, $user, $kind, $label, $at, $expires)";
        insert.Parameters.AddWithValue("$hash", tokenHash);
        insert.Parameters.AddWithValue("$user", user);
        insert.Parameters.AddWithValue("$kind", kind);
        insert.Parameters.AddWithValue("$label", (object?)label ?? DBNull.Value);
        insert.Parameters.AddWithValue("$at", Format(now));
        insert.Parameters.AddWithValue("$expires", expiresAt is { } e ? Format(e) : DBNull.Value);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Who a token belongs to, or null when it is unknown or expired.</summary>
    public async Task<SignedInUser?> ResolveTokenAsync(string tokenHash, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT u.name, u.role, t.kind, t.expires_at, t.last_used_at
            FROM tokens t JOIN users u ON u.name = t.user_name WHERE t.hash = $hash AND u.disabled_at IS NULL
            """;
        command.Parameters.AddWithValue("$hash", tokenHash);
        SignedInUser user;
        string? lastUsed;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken)
                || !RoleNames.TryParse(reader.GetString(1), out var role)
                || (Text(reader, 3) is { } expires && Parse(expires) <= now))
            {
                return null;
            }

            user = new SignedInUser(reader.GetString(0), role, tokenHash, reader.GetString(2));
            lastUsed = Text(reader, 4);
        }

        if (lastUsed is null || now - Parse(lastUsed) >= LastUsedResolution)
        {
            await using var touch = connection.CreateCommand();
            touch.CommandText = "UPDATE tokens SET last_used_at = $now WHERE hash = $hash";
            touch.Parameters.AddWithValue("$now", Format(now));
            touch.Parameters.AddWithValue("$hash", tokenHash);
            await touch.ExecuteNonQueryAsync(cancellationToken);
        }

        return user;
    }

    /// <summary>Deletes a token (sign-out of a session); unknown hashes are ignored.</summary>
    public async Task RemoveTokenAsync(string tokenHash, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        await using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM tokens WHERE hash = $hash";
        delete.Parameters.AddWithValue("$hash", tokenHash);
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A user's tokens (hash, kind, label, times), newest first; the secrets themselves were never stored.</summary>
    public async Task<IReadOnlyList<StoredToken>> ListTokensAsync(string user, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT hash, kind, label, created_at, expires_at, last_used_at FROM tokens WHERE user_name = $user ORDER BY created_at DESC, hash";
        command.Parameters.AddWithValue("$user", user);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var tokens = new List<StoredToken>();
        while (await reader.ReadAsync(cancellationToken))
        {
            tokens.Add(new StoredToken(
                reader.GetString(0),
                reader.GetString(1),
                Text(reader, 2),
                Parse(reader.GetString(3)),
                Text(reader, 4) is { } expires ? Parse(expires) : null,
                Text(reader, 5) is { } used ? Parse(used) : null));
        }

        return tokens;
    }

    /// <summary>Deletes the user's tokens whose hash starts with <paramref name="hashPrefix"/>; returns the deleted hashes (none when the prefix is unknown).</summary>
    public async Task<IReadOnlyList<string>> RevokeTokensAsync(string user, string hashPrefix, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        return await DeleteTokensAsync(
            connection, null, "user_name = $user AND substr(hash, 1, length($prefix)) = $prefix", cancellationToken, ("$user", user), ("$prefix", hashPrefix));
    }

    /// <summary>
    /// Deletes the tokens <paramref name="where"/> selects and returns their hashes, in one
    /// statement (<c>DELETE ... RETURNING</c>), so the hashes handed to the token cache are exactly
    /// the rows removed.
    /// </summary>
    private static async Task<List<string>> DeleteTokensAsync(
        SqliteConnection connection, SqliteTransaction? transaction, string where, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var delete = connection.CreateCommand();
        delete.Transaction = transaction;
        delete.CommandText = $"DELETE FROM tokens WHERE {where} RETURNING hash";
        foreach (var (name, value) in parameters)
        {
            delete.Parameters.AddWithValue(name, value);
        }

        var hashes = new List<string>();
        await using var reader = await delete.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            hashes.Add(reader.GetString(0));
        }

        return hashes;
    }

    /// <summary>
    /// Deletes a user and its tokens, or (with <paramref name="disableAt"/>) marks it disabled, unless
    /// that leaves no enabled admin. Audit rows keep the name.
    /// </summary>
    public async Task<UserRemoval> RemoveUserAsync(string name, DateTimeOffset? disableAt, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        if (await CheckAdminRemainsAsync(connection, transaction, name, cancellationToken) is { } refused)
        {
            return refused;
        }

        await using (var change = connection.CreateCommand())
        {
            change.Transaction = transaction;
            change.CommandText = disableAt is null
                ? "DELETE FROM tokens WHERE user_name = $name; DELETE FROM users WHERE name = $name;"
                : "UPDATE users SET disabled_at = COALESCE(disabled_at, $at) WHERE name = $name";
            change.Parameters.AddWithValue("$name", name);
            change.Parameters.AddWithValue("$at", disableAt is { } at ? Format(at) : DBNull.Value);
            await change.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return UserRemoval.Done;
    }

    /// <summary>Enables a disabled user again; false when there is no such user.</summary>
    public async Task<bool> EnableUserAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        await using var update = connection.CreateCommand();
        update.CommandText = "UPDATE users SET disabled_at = NULL WHERE name = $name";
        update.Parameters.AddWithValue("$name", name);
        return await update.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Appends one audit row.</summary>
    public async Task AppendAuditAsync(DateTimeOffset time, string? user, UserRole? role, string method, string path, string action, string? target, int outcome, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO audit (time, user_name, role, method, path, action, target, outcome) VALUES ($time, $user, $role, $method, $path, $action, $target, $outcome)";
        insert.Parameters.AddWithValue("$time", Format(time));
        insert.Parameters.AddWithValue("$user", (object?)user ?? DBNull.Value);
        insert.Parameters.AddWithValue("$role", role is { } r ? r.Name() : DBNull.Value);
        insert.Parameters.AddWithValue("$method", method);
        insert.Parameters.AddWithValue("$path", path);
        insert.Parameters.AddWithValue("$action", action);
        insert.Parameters.AddWithValue("$target", (object?)target ?? DBNull.Value);
        insert.Parameters.AddWithValue("$outcome", outcome);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The newest <paramref name="limit"/> audit rows, newest first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAuditAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, time, user_name, role, method, path, action, target, outcome FROM audit ORDER BY id DESC LIMIT $limit";
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<AuditEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new AuditEntry(
                reader.GetInt64(0),
                Parse(reader.GetString(1)),
                Text(reader, 2),
                Text(reader, 3),
                reader.GetString(4),
                reader.GetString(5),
                reader.GetString(6),
                Text(reader, 7),
                reader.GetInt32(8)));
        }

        return rows;
    }

    private static StoredUser ReadUser(SqliteDataReader reader)
    {
        // A role name this version does not know (written by a newer one) gets the least power.
        var role = RoleNames.TryParse(reader.GetString(1), out var parsed) ? parsed : UserRole.Viewer;
        return new StoredUser(reader.GetString(0), role, reader.GetString(2), Parse(reader.GetString(3)), Text(reader, 4), Text(reader, 5) is { } disabled ? Parse(disabled) : null);
    }

    // GetValue gives DBNull for NULL; avoids IsDBNull, which the analyzers flag inside async reads.
    private static string? Text(SqliteDataReader reader, int ordinal) => reader.GetValue(ordinal) as string;

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    // Stores written by an older version lack newer columns; adding one keeps their rows.
    private static void AddColumnIfMissing(SqliteConnection connection, string table, string column, string type)
    {
        using var columns = connection.CreateCommand();
        columns.CommandText = $"SELECT COUNT(*) FROM pragma_table_info('{table}') WHERE name = '{column}'";
        if (Convert.ToInt64(columns.ExecuteScalar(), CultureInfo.InvariantCulture) > 0)
        {
            return;
        }

        using var alter = connection.CreateCommand();
        alter.CommandText = $"ALTER TABLE {table} ADD COLUMN {column} {type}";
        alter.ExecuteNonQuery();
    }

    private SqliteConnection Open() => _file.Open();
}

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

    private const string SelectUsers = "SELECT name, role, password_hash, created_at, created_by, disabled_at FROM users";
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
        return connection.Scalar(null, "SELECT EXISTS (SELECT 1 FROM users)") == 1;
    }

    /// <summary>
    /// Creates the first user as <c>admin</c> with its bootstrap API token, only if there is no user
    /// at all; false (and nothing written) when users exist.
    /// </summary>
    public bool TryCreateFirstAdmin(string name, string passwordHash, string tokenHash, DateTimeOffset now)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        if (connection.Scalar(transaction, "SELECT COUNT(*) FROM users") > 0)
        {
            return false;
        }

        connection.Execute(
            transaction,
            """
            INSERT INTO users (name, role, password_hash, created_at, created_by) VALUES ($name, 'admin', $hash, $at, NULL);
            INSERT INTO tokens (hash, user_name, kind, label, created_at) VALUES ($token, $name, 'api', 'bootstrap', $at);
            """,
            ("$name", name),
            ("$hash", passwordHash),
            ("$token", tokenHash),
            ("$at", Format(now)));
        transaction.Commit();
        return true;
    }

    /// <summary>Adds a user; false when the name is taken.</summary>
    public async Task<bool> CreateUserAsync(string name, UserRole role, string passwordHash, string? createdBy, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        return await connection.ExecuteAsync(
            null,
            "INSERT INTO users (name, role, password_hash, created_at, created_by) VALUES ($name, $role, $hash, $at, $by) ON CONFLICT(name) DO NOTHING",
            cancellationToken,
            ("$name", name),
            ("$role", role.Name()),
            ("$hash", passwordHash),
            ("$at", Format(now)),
            ("$by", createdBy)) == 1;
    }

    /// <summary>The user with that name, or null.</summary>
    public async Task<StoredUser?> FindUserAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        return (await connection.QueryAsync(null, $"{SelectUsers} WHERE name = $name", ReadUser, cancellationToken, ("$name", name))).FirstOrDefault();
    }

    /// <summary>Every user, by name.</summary>
    public async Task<IReadOnlyList<StoredUser>> ListUsersAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        return await connection.QueryAsync(null, $"{SelectUsers} ORDER BY name", ReadUser, cancellationToken);
    }

    /// <summary>Stores a token (by its hash) for a user.</summary>
    public async Task AddTokenAsync(string tokenHash, string user, string kind, string? label, DateTimeOffset now, DateTimeOffset? expiresAt, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        await connection.ExecuteAsync(
            null,
            "INSERT INTO tokens (hash, user_name, kind, label, created_at, expires_at) VALUES ($hash, $user, $kind, $label, $at, $expires)",
            cancellationToken,
            ("$hash", tokenHash),
            ("$user", user),
            ("$kind", kind),
            ("$label", label),
            ("$at", Format(now)),
            ("$expires", expiresAt is { } e ? Format(e) : null));
    }

    /// <summary>Who a token belongs to, or null when it is unknown or expired.</summary>
    public async Task<SignedInUser?> ResolveTokenAsync(string tokenHash, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        var found = await connection.QueryAsync(
            null,
            """
            SELECT u.name, u.role, t.kind, t.expires_at, t.last_used_at
            FROM tokens t JOIN users u ON u.name = t.user_name WHERE t.hash = $hash AND u.disabled_at IS NULL
            """,
            reader => (Name: reader.GetString(0), Role: reader.GetString(1), Kind: reader.GetString(2), Expires: Text(reader, 3), LastUsed: Text(reader, 4)),
            cancellationToken,
            ("$hash", tokenHash));
        if (found.Count == 0
            || !RoleNames.TryParse(found[0].Role, out var role)
            || (found[0].Expires is { } expires && Parse(expires) <= now))
        {
            return null;
        }

        if (found[0].LastUsed is not { } lastUsed || now - Parse(lastUsed) >= LastUsedResolution)
        {
            await connection.ExecuteAsync(null, "UPDATE tokens SET last_used_at = $now WHERE hash = $hash", cancellationToken, ("$now", Format(now)), ("$hash", tokenHash));
        }

        return new SignedInUser(found[0].Name, role, tokenHash, found[0].Kind);
    }

    /// <summary>Deletes a token (sign-out of a session); unknown hashes are ignored.</summary>
    public async Task RemoveTokenAsync(string tokenHash, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        await connection.ExecuteAsync(null, "DELETE FROM tokens WHERE hash = $hash", cancellationToken, ("$hash", tokenHash));
    }

    /// <summary>A user's tokens (hash, kind, label, times), newest first; the secrets themselves were never stored.</summary>
    public async Task<IReadOnlyList<StoredToken>> ListTokensAsync(string user, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        return await connection.QueryAsync(
            null,
            "SELECT hash, kind, label, created_at, expires_at, last_used_at FROM tokens WHERE user_name = $user ORDER BY created_at DESC, hash",
            reader => new StoredToken(
                reader.GetString(0),
                reader.GetString(1),
                Text(reader, 2),
                Parse(reader.GetString(3)),
                Text(reader, 4) is { } expires ? Parse(expires) : null,
                Text(reader, 5) is { } used ? Parse(used) : null),
            cancellationToken,
            ("$user", user));
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
    private static Task<List<string>> DeleteTokensAsync(
        SqliteConnection connection, SqliteTransaction? transaction, string where, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        connection.QueryAsync(transaction, $"DELETE FROM tokens WHERE {where} RETURNING hash", reader => reader.GetString(0), cancellationToken, parameters);

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

        await connection.ExecuteAsync(
            transaction,
            disableAt is null
                ? "DELETE FROM tokens WHERE user_name = $name; DELETE FROM users WHERE name = $name;"
                : "UPDATE users SET disabled_at = COALESCE(disabled_at, $at) WHERE name = $name",
            cancellationToken,
            ("$name", name),
            ("$at", disableAt is { } at ? Format(at) : null));
        await transaction.CommitAsync(cancellationToken);
        return UserRemoval.Done;
    }

    /// <summary>Enables a disabled user again; false when there is no such user.</summary>
    public async Task<bool> EnableUserAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        return await connection.ExecuteAsync(null, "UPDATE users SET disabled_at = NULL WHERE name = $name", cancellationToken, ("$name", name)) == 1;
    }

    /// <summary>Appends one audit row.</summary>
    public async Task AppendAuditAsync(DateTimeOffset time, string? user, UserRole? role, string method, string path, string action, string? target, int outcome, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        await connection.ExecuteAsync(
            null,
            "INSERT INTO audit (time, user_name, role, method, path, action, target, outcome) VALUES ($time, $user, $role, $method, $path, $action, $target, $outcome)",
            cancellationToken,
            ("$time", Format(time)),
            ("$user", user),
            ("$role", role?.Name()),
            ("$method", method),
            ("$path", path),
            ("$action", action),
            ("$target", target),
            ("$outcome", outcome));
    }

    /// <summary>The newest <paramref name="limit"/> audit rows, newest first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAuditAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        return await connection.QueryAsync(
            null,
            "SELECT id, time, user_name, role, method, path, action, target, outcome FROM audit ORDER BY id DESC LIMIT $limit",
            reader => new AuditEntry(
                reader.GetInt64(0),
                Parse(reader.GetString(1)),
                Text(reader, 2),
                Text(reader, 3),
                reader.GetString(4),
                reader.GetString(5),
                reader.GetString(6),
                Text(reader, 7),
                reader.GetInt32(8)),
            cancellationToken,
            ("$limit", limit));
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
        if (connection.Scalar(null, $"SELECT COUNT(*) FROM pragma_table_info('{table}') WHERE name = '{column}'") == 0)
        {
            connection.Execute(null, $"ALTER TABLE {table} ADD COLUMN {column} {type}");
        }
    }

    private SqliteConnection Open() => _file.Open();
}

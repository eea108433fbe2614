using Microsoft.Data.Sqlite;
using UdcBackup.Server.Storage;

namespace UdcBackup.Server.Auth;

/// <summary>
/// Changes an admin makes to an existing user: its role, and a new password. A role change that
/// would leave no enabled admin is refused inside the same transaction (as removal is); a new
/// password ends the user's sign-in sessions (its API tokens stay: they were handed out on purpose
/// and are revoked one by one).
/// </summary>
public sealed partial class AuthStore
{
    /// <summary>Gives a user another role, unless that demotes the last enabled admin.</summary>
    public async Task<UserRemoval> ChangeRoleAsync(string name, UserRole role, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);

        // Only a demotion can leave no admin; promoting or keeping the role needs the user to exist.
        if (await CheckAdminRemainsAsync(connection, transaction, name, cancellationToken) is { } refused
            && (refused == UserRemoval.NotFound || role != UserRole.Admin))
        {
            return refused;
        }

        await connection.ExecuteAsync(transaction, "UPDATE users SET role = $role WHERE name = $name", cancellationToken, ("$name", name), ("$role", role.Name()));
        await transaction.CommitAsync(cancellationToken);
        return UserRemoval.Done;
    }

    // NotFound when the user does not exist, LastAdmin when it is the last enabled admin, null otherwise.
    private static async Task<UserRemoval?> CheckAdminRemainsAsync(SqliteConnection connection, SqliteTransaction transaction, string name, CancellationToken cancellationToken)
    {
        var (exists, otherAdmins, isAdmin) = (await connection.QueryAsync(
            transaction,
            """
            SELECT (SELECT COUNT(*) FROM users WHERE name = $name),
                   (SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL AND name <> $name),
                   (SELECT COUNT(*) FROM users WHERE name = $name AND role = 'admin' AND disabled_at IS NULL)
            """,
            reader => (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)),
            cancellationToken,
            ("$name", name)))[0];
        return exists == 0 ? UserRemoval.NotFound
            : isAdmin == 1 && otherAdmins == 0 ? UserRemoval.LastAdmin
            : null;
    }

    /// <summary>Sets a new password hash and deletes the user's sign-in sessions; returns the deleted sessions' hashes, or null when there is no such user.</summary>
    public async Task<IReadOnlyList<string>?> SetPasswordAsync(string name, string passwordHash, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        if (await connection.ExecuteAsync(transaction, "UPDATE users SET password_hash = $hash WHERE name = $name", cancellationToken, ("$name", name), ("$hash", passwordHash)) == 0)
        {
            return null;
        }

        var sessions = await DeleteTokensAsync(connection, transaction, "user_name = $name AND kind = $kind", cancellationToken, ("$name", name), ("$kind", SessionKind));
        await transaction.CommitAsync(cancellationToken);
        return sessions;
    }
}

using Microsoft.Data.Sqlite;
using UdcBackup.Server.Storage;

namespace UdcBackup.Server.Auth;

/// <summary>
/// Slows down password guessing at <c>POST /api/auth/login</c>. Failures are counted per user and
/// client address, and per user across all addresses, within a window that starts at the first
/// failure: <see cref="AddressLimit"/> failures from one address lock that user+address pair for
/// <see cref="AddressLockout"/>; <see cref="UserLimit"/> failures from anywhere lock the user for
/// <see cref="UserLockout"/> (a guesser spread over many addresses); both lockouts are settings
/// (<c>SignIn:AddressLockoutSeconds</c>, <c>SignIn:UserLockoutSeconds</c>), these are the defaults. While locked, a sign-in is
/// refused before the password is checked, even a right one, so guesses cannot go on. A success
/// clears its own user+address count (the user-wide count runs out with its window, so a guesser
/// cannot reset it by a legitimate sign-in elsewhere).
/// <para>
/// The counts live in the auth store's file (table <c>sign_in_failures(key, failures,
/// first_failure, locked_until)</c>), so a controller restart neither forgets a lock nor lets a
/// guesser start counting again; each count is read and written in one immediate transaction, so
/// concurrent failures are all counted. Rows whose window and lock have passed are deleted once
/// the table grows past <see cref="PruneAbove"/>, so random user names cannot fill the disk. If the
/// file cannot be written the sign-in fails with the error (a lock that silently stops counting
/// would be worse).
/// </para>
/// </summary>
public sealed class SignInThrottle
{
    public const int AddressLimit = 5;
    public const int UserLimit = 20;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan AddressLockout = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan UserLockout = TimeSpan.FromMinutes(15);
    private const int PruneAbove = 10_000;

    private readonly SqliteFile _file;
    private readonly TimeProvider _time;
    private readonly TimeSpan _addressLockout;
    private readonly TimeSpan _userLockout;

    /// <param name="path">The auth store's database file (<see cref="AuthStore.Path"/>).</param>
    /// <param name="time">The clock.</param>
    /// <param name="addressLockout">The lock after <see cref="AddressLimit"/> failures from one address; <see cref="AddressLockout"/> when null.</param>
    /// <param name="userLockout">The lock after <see cref="UserLimit"/> failures from anywhere; <see cref="UserLockout"/> when null.</param>
    public SignInThrottle(string path, TimeProvider time, TimeSpan? addressLockout = null, TimeSpan? userLockout = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _addressLockout = addressLockout ?? AddressLockout;
        _userLockout = userLockout ?? UserLockout;
        _file = new SqliteFile(path, """
            CREATE TABLE IF NOT EXISTS sign_in_failures (
                key TEXT PRIMARY KEY,
                failures INTEGER NOT NULL,
                first_failure INTEGER NOT NULL,
                locked_until INTEGER);
            """, pooling: true);
    }

    /// <summary>How long sign-ins of <paramref name="user"/> from <paramref name="address"/> are still refused; null when allowed.</summary>
    public TimeSpan? LockedFor(string user, string? address)
    {
        using var connection = _file.Open();
        return LockedFor(connection, null, user, address, _time.GetUtcNow());
    }

    /// <summary>Counts a failed sign-in; returns how long the user is now locked for that address (null when not locked).</summary>
    public TimeSpan? Failed(string user, string? address)
    {
        var now = _time.GetUtcNow();
        using var connection = _file.Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        Count(connection, transaction, AddressKey(user, address), now, AddressLimit, _addressLockout);
        Count(connection, transaction, UserKey(user), now, UserLimit, _userLockout);
        var locked = LockedFor(connection, transaction, user, address, now);
        if (connection.Scalar(transaction, "SELECT COUNT(*) FROM sign_in_failures") > PruneAbove)
        {
            connection.Execute(transaction, "DELETE FROM sign_in_failures WHERE (locked_until IS NULL OR locked_until <= $now) AND first_failure < $start", ("$now", now.UtcTicks), ("$start", (now - Window).UtcTicks));
        }

        transaction.Commit();
        return locked;
    }

    /// <summary>A right password: the user+address count starts again.</summary>
    public void Succeeded(string user, string? address)
    {
        using var connection = _file.Open();
        connection.Execute(null, "DELETE FROM sign_in_failures WHERE key = $key", ("$key", AddressKey(user, address)));
    }

    private static string AddressKey(string user, string? address) => $"a\n{user}\n{address ?? "-"}";

    private static string UserKey(string user) => $"u\n{user}";

    private static TimeSpan? LockedFor(SqliteConnection connection, SqliteTransaction? transaction, string user, string? address, DateTimeOffset now)
    {
        var until = connection.Scalar(transaction, "SELECT MAX(locked_until) FROM sign_in_failures WHERE key IN ($a, $u)", ("$a", AddressKey(user, address)), ("$u", UserKey(user)));
        return until > now.UtcTicks ? TimeSpan.FromTicks(until - now.UtcTicks) : null;
    }

    private static void Count(SqliteConnection connection, SqliteTransaction transaction, string key, DateTimeOffset now, int limit, TimeSpan lockout)
    {
        long failures = 0, first = 0, lockedUntil = 0;
        using (var read = connection.Command(transaction, "SELECT failures, first_failure, COALESCE(locked_until, 0) FROM sign_in_failures WHERE key = $key", ("$key", key)))
        {
            using var reader = read.ExecuteReader();
            if (reader.Read())
            {
                (failures, first, lockedUntil) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
            }
        }

        if (lockedUntil > now.UtcTicks)
        {
            return;
        }

        if (failures == 0 || now.UtcTicks - first > Window.Ticks)
        {
            failures = 0;
            first = now.UtcTicks;
        }

        failures++;
        long? until = null;
        if (failures >= limit)
        {
            until = (now + lockout).UtcTicks;
            failures = 0;
        }

        connection.Execute(
            transaction,
            """
            INSERT INTO sign_in_failures (key, failures, first_failure, locked_until) VALUES ($key, $failures, $first, $until)
            ON CONFLICT(key) DO UPDATE SET failures = excluded.failures, first_failure = excluded.first_failure, locked_until = excluded.locked_until
            """,
            ("$key", key),
            ("$failures", failures),
            ("$first", first),
            ("$until", until));
    }
}

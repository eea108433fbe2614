using System.Collections.Concurrent;

namespace UdcBackup.Server.Auth;

/// <summary>
/// Slows down password guessing at <c>POST /api/auth/login</c>. Failures are counted per user and
/// client address, and per user across all addresses, within a window that starts at the first
/// failure: <see cref="AddressLimit"/> failures from one address lock that user+address pair for
/// <see cref="AddressLockout"/>; <see cref="UserLimit"/> failures from anywhere lock the user for
/// <see cref="UserLockout"/> (a guesser spread over many addresses). While locked, a sign-in is
/// refused before the password is checked, even a right one, so guesses cannot go on. A success
/// clears its own user+address count (the user-wide count runs out with its window, so a guesser
/// cannot reset it by a legitimate sign-in elsewhere). Counts live in memory: a restart of the
/// controller forgets them, and each node of several counts on its own. Keys whose window and
/// lock have passed are dropped once the table grows, so random user names cannot fill memory.
/// </summary>
public sealed class SignInThrottle
{
    public const int AddressLimit = 5;
    public const int UserLimit = 20;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan AddressLockout = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan UserLockout = TimeSpan.FromMinutes(15);
    private const int PruneAbove = 10_000;

    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public SignInThrottle(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
    }

    /// <summary>How long sign-ins of <paramref name="user"/> from <paramref name="address"/> are still refused; null when allowed.</summary>
    public TimeSpan? LockedFor(string user, string? address)
    {
        var now = _time.GetUtcNow();
        var left = new[] { Remaining(AddressKey(user, address), now), Remaining(UserKey(user), now) }.Max();
        return left > TimeSpan.Zero ? left : null;
    }

    /// <summary>Counts a failed sign-in; returns how long the user is now locked for that address (null when not locked).</summary>
    public TimeSpan? Failed(string user, string? address)
    {
        var now = _time.GetUtcNow();
        Count(AddressKey(user, address), now, AddressLimit, AddressLockout);
        Count(UserKey(user), now, UserLimit, UserLockout);
        if (_counters.Count > PruneAbove)
        {
            Prune(now);
        }

        return LockedFor(user, address);
    }

    /// <summary>A right password: the user+address count starts again.</summary>
    public void Succeeded(string user, string? address) => _counters.TryRemove(AddressKey(user, address), out _);

    private static string AddressKey(string user, string? address) => $"a\n{user}\n{address ?? "-"}";

    private static string UserKey(string user) => $"u\n{user}";

    private TimeSpan Remaining(string key, DateTimeOffset now)
    {
        if (!_counters.TryGetValue(key, out var counter))
        {
            return TimeSpan.Zero;
        }

        lock (counter)
        {
            return counter.LockedUntil is { } until && until > now ? until - now : TimeSpan.Zero;
        }
    }

    private void Count(string key, DateTimeOffset now, int limit, TimeSpan lockout)
    {
        var counter = _counters.GetOrAdd(key, _ => new Counter());
        lock (counter)
        {
            if (counter.LockedUntil is { } until && until > now)
            {
                return;
            }

            if (counter.Failures == 0 || now - counter.FirstFailure > Window)
            {
                counter.Failures = 0;
                counter.FirstFailure = now;
            }

            counter.Failures++;
            if (counter.Failures >= limit)
            {
                counter.LockedUntil = now + lockout;
                counter.Failures = 0;
            }
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, counter) in _counters)
        {
            bool stale;
            lock (counter)
            {
                stale = (counter.LockedUntil is not { } until || until <= now) && now - counter.FirstFailure > Window;
            }

            if (stale)
            {
                _counters.TryRemove(key, out _);
            }
        }
    }

    private sealed class Counter
    {
        public int Failures { get; set; }

        public DateTimeOffset FirstFailure { get; set; }

        public DateTimeOffset? LockedUntil { get; set; }
    }
}

using UdcBackup.Server.Auth;

namespace UdcBackup.Server.Tests.Auth;

/// <summary>The sign-in lock's counting on an injected clock: per user and address, per user everywhere, expiry, reset by success, and counts kept in the store file across a reopen.</summary>
public sealed class SignInThrottleTests : IDisposable
{
    private readonly ManualClock _clock = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("udc-throttle-").FullName;

    private string StorePath => Path.Combine(_directory, "auth.db");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_lock_and_a_partial_count_survive_reopening_the_store_and_the_lock_still_expires()
    {
        var before = new SignInThrottle(StorePath, _clock);
        for (var i = 0; i < SignInThrottle.AddressLimit; i++)
        {
            before.Failed("op", "10.0.0.1");
        }

        for (var i = 0; i < SignInThrottle.AddressLimit - 1; i++)
        {
            before.Failed("other", "10.0.0.1");
        }

        _clock.Advance(TimeSpan.FromMinutes(1));
        var after = new SignInThrottle(StorePath, _clock);
        after.LockedFor("op", "10.0.0.1").Should().Be(SignInThrottle.AddressLockout - TimeSpan.FromMinutes(1), "the lock was written to the store, not kept in memory");
        after.Failed("other", "10.0.0.1").Should().Be(SignInThrottle.AddressLockout, "the earlier failures still count after the reopen");

        _clock.Advance(SignInThrottle.AddressLockout);
        after.LockedFor("op", "10.0.0.1").Should().BeNull("the lock expires on the clock, not with the process");
    }

    [Fact]
    public void Failures_from_one_address_lock_that_address_until_the_lockout_passes_and_a_success_starts_the_count_again()
    {
        var throttle = new SignInThrottle(StorePath, _clock);
        for (var i = 1; i < SignInThrottle.AddressLimit; i++)
        {
            throttle.Failed("op", "10.0.0.1").Should().BeNull($"failure {i} is below the limit");
        }

        throttle.Failed("op", "10.0.0.1").Should().Be(SignInThrottle.AddressLockout);
        throttle.LockedFor("op", "10.0.0.2").Should().BeNull("another address is not locked by these");
        throttle.LockedFor("other", "10.0.0.1").Should().BeNull("another user is not locked");

        _clock.Advance(SignInThrottle.AddressLockout - TimeSpan.FromSeconds(1));
        throttle.LockedFor("op", "10.0.0.1").Should().Be(TimeSpan.FromSeconds(1));
        _clock.Advance(TimeSpan.FromSeconds(1));
        throttle.LockedFor("op", "10.0.0.1").Should().BeNull();

        throttle.Failed("op", "10.0.0.1").Should().BeNull();
        throttle.Succeeded("op", "10.0.0.1");
        for (var i = 1; i < SignInThrottle.AddressLimit; i++)
        {
            throttle.Failed("op", "10.0.0.1").Should().BeNull("the success cleared the earlier failure");
        }
    }

    [Fact]
    public void Failures_spread_over_addresses_lock_the_user_everywhere()
    {
        var throttle = new SignInThrottle(StorePath, _clock);
        for (var i = 0; i < SignInThrottle.UserLimit - 1; i++)
        {
            throttle.Failed("admin", $"192.0.2.{i}").Should().BeNull();
        }

        throttle.Failed("admin", "192.0.2.200").Should().Be(SignInThrottle.UserLockout);
        throttle.LockedFor("admin", "198.51.100.7").Should().Be(SignInThrottle.UserLockout, "a new address is locked too");
    }

    [Fact]
    public void Failures_further_apart_than_the_window_do_not_add_up()
    {
        var throttle = new SignInThrottle(StorePath, _clock);
        for (var i = 0; i < SignInThrottle.AddressLimit * 3; i++)
        {
            throttle.Failed("slow", "10.0.0.9").Should().BeNull();
            _clock.Advance(SignInThrottle.Window / (SignInThrottle.AddressLimit - 2));
        }
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}

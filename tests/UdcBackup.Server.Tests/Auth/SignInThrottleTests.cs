using UdcBackup.Server.Auth;

namespace UdcBackup.Server.Tests.Auth;

/// <summary>The sign-in lock's counting on an injected clock: per user and address, per user everywhere, expiry, and reset by success.</summary>
public sealed class SignInThrottleTests
{
    private readonly ManualClock _clock = new();

    [Fact]
    public void Failures_from_one_address_lock_that_address_until_the_lockout_passes_and_a_success_starts_the_count_again()
    {
        var throttle = new SignInThrottle(_clock);
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
        var throttle = new SignInThrottle(_clock);
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
        var throttle = new SignInThrottle(_clock);
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

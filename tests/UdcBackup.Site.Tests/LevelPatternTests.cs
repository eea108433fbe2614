using UdcBackup.Site.Model;

namespace UdcBackup.Site.Tests;

public class LevelPatternTests
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    [Fact]
    public void First_run_is_always_full()
    {
        new LevelPattern([], 7).ChooseLevel(DateTimeOffset.UnixEpoch, TimeZoneInfo.Utc, null, 0).Should().Be(BackupLevel.Full);
    }

    [Fact]
    public void Full_every_n_makes_every_nth_run_full()
    {
        var pattern = new LevelPattern([], 3);
        var levels = Enumerable.Range(0, 4).Select(i => pattern.ChooseLevel(DateTimeOffset.UnixEpoch, TimeZoneInfo.Utc, DateTimeOffset.UnixEpoch, i));

        levels.Should().Equal(BackupLevel.Incremental, BackupLevel.Incremental, BackupLevel.Full, BackupLevel.Full);
    }

    [Fact]
    public void Full_on_sunday_uses_the_jobs_time_zone_and_only_the_first_run_of_that_day()
    {
        var pattern = new LevelPattern([DayOfWeek.Sunday], null);
        var saturdayLateUtcButSundayInParis = new DateTimeOffset(2026, 11, 21, 23, 30, 0, TimeSpan.Zero);
        var lastFriday = new DateTimeOffset(2026, 11, 20, 2, 0, 0, TimeSpan.Zero);

        pattern.ChooseLevel(saturdayLateUtcButSundayInParis, Paris, lastFriday, 1).Should().Be(BackupLevel.Full);
        pattern.ChooseLevel(saturdayLateUtcButSundayInParis, TimeZoneInfo.Utc, lastFriday, 1).Should().Be(BackupLevel.Incremental);
        pattern.ChooseLevel(saturdayLateUtcButSundayInParis.AddHours(2), Paris, saturdayLateUtcButSundayInParis, 0)
            .Should().Be(BackupLevel.Incremental, "the full of this Sunday is already taken");
    }
}

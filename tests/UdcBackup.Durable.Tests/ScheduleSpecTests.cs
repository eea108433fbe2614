using UdcBackup.Durable.Schedules;

namespace UdcBackup.Durable.Tests;

public sealed class ScheduleSpecTests
{
    private static DateTime Utc(int y, int mo, int d, int h, int mi, int s = 0) => new(y, mo, d, h, mi, s, DateTimeKind.Utc);

    [Fact]
    public void Cron_with_seconds_and_five_field_cron_both_work()
    {
        new ScheduleSpec { CronExpressions = ["*/20 * * * * *"] }.GetFireTimes(Utc(2026, 1, 1, 0, 0), Utc(2026, 1, 1, 0, 1))
            .Should().Equal(Utc(2026, 1, 1, 0, 0, 20), Utc(2026, 1, 1, 0, 0, 40), Utc(2026, 1, 1, 0, 1, 0));
        new ScheduleSpec { CronExpressions = ["30 2 * * *"] }.GetNextFireTime(Utc(2026, 1, 1, 3, 0))
            .Should().Be(Utc(2026, 1, 2, 2, 30));
    }

    [Fact]
    public void Cron_follows_the_wall_clock_of_its_time_zone_across_daylight_saving()
    {
        var nine = new ScheduleSpec { CronExpressions = ["0 9 * * *"], TimeZone = "Europe/Berlin" };
        nine.GetNextFireTime(Utc(2026, 1, 10, 0, 0)).Should().Be(Utc(2026, 1, 10, 8, 0), "CET is UTC+1");
        nine.GetNextFireTime(Utc(2026, 7, 10, 0, 0)).Should().Be(Utc(2026, 7, 10, 7, 0), "CEST is UTC+2");

        var halfPastTwo = new ScheduleSpec { CronExpressions = ["30 2 * * *"], TimeZone = "Europe/Berlin" };
        halfPastTwo.GetFireTimes(Utc(2026, 3, 28, 12, 0), Utc(2026, 3, 30, 12, 0))
            .Should().Equal([Utc(2026, 3, 30, 0, 30)], "02:30 does not exist on 29 March (clocks jump 02:00 -> 03:00)");
        halfPastTwo.GetFireTimes(Utc(2026, 10, 24, 12, 0), Utc(2026, 10, 26, 12, 0))
            .Should().Equal([Utc(2026, 10, 25, 0, 30), Utc(2026, 10, 26, 1, 30)], "02:30 happens twice on 25 October and fires once, at its first instant");
    }

    [Fact]
    public void Interval_fires_on_multiples_since_the_epoch_plus_offset_and_merges_with_cron()
    {
        var spec = new ScheduleSpec { Intervals = [new ScheduleIntervalSpec(TimeSpan.FromHours(6), TimeSpan.FromMinutes(15))], CronExpressions = ["0 12 * * *"] };
        spec.GetFireTimes(Utc(2026, 1, 1, 0, 0), Utc(2026, 1, 1, 13, 0))
            .Should().Equal(Utc(2026, 1, 1, 0, 15), Utc(2026, 1, 1, 6, 15), Utc(2026, 1, 1, 12, 0), Utc(2026, 1, 1, 12, 15));
    }

    [Theory]
    [InlineData("61 * * * *")]
    [InlineData("* * *")]
    [InlineData("not a cron")]
    public void Invalid_cron_is_refused_with_the_expression_in_the_message(string cron)
    {
        var act = () => new ScheduleSpec { CronExpressions = [cron] }.Validate();
        act.Should().Throw<ArgumentException>().WithMessage($"*{cron}*");
    }

    [Theory]
    [InlineData("61 * * * *", "minute field '61'", "0-59")]
    [InlineData("0 24 * * *", "hour field '24'", "0-23")]
    [InlineData("0 2 0 * *", "day of month field '0'", "1-31")]
    [InlineData("0 2 * 13 *", "month field '13'", "1-12")]
    [InlineData("0 2 * * 9", "day of week field '9'", "0-6")]
    [InlineData("61 0 * * * *", "second field '61'", "0-59")]
    [InlineData("0 1-x * * *", "hour field '1-x'", "0-23")]
    public void Invalid_cron_names_the_bad_field_and_its_range(string cron, string field, string range)
    {
        var act = () => new ScheduleSpec { CronExpressions = [cron] }.Validate();
        act.Should().Throw<ArgumentException>().WithMessage($"*'{cron}'*{field}*{range}*");
    }

    [Fact]
    public void Unknown_time_zone_and_empty_spec_are_refused()
    {
        FluentActions.Invoking(() => new ScheduleSpec { CronExpressions = ["0 * * * *"], TimeZone = "Mars/Olympus" }.Validate())
            .Should().Throw<ArgumentException>().WithMessage("*Mars/Olympus*");
        FluentActions.Invoking(() => new ScheduleSpec().Validate()).Should().Throw<ArgumentException>();
    }
}

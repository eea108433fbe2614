using UdcBackup.Workflows.Backup;
using UdcBackup.Workflows.Restore;

namespace UdcBackup.Workflows.Tests;

/// <summary>
/// The ids of runs an operator starts: one per start even within a second, and a valid firewall tag
/// for every name a site may use (site names are up to 63 characters, tags up to 64).
/// </summary>
public sealed class RunIdTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 19, 8, 46, 123, TimeSpan.Zero);

    [Fact]
    public void A_short_name_keeps_the_readable_form_with_milliseconds()
    {
        RestoreInputs.RunId("db-1", At).Should().Be("restore-db-1-20261122T190846123Z");
        BackupJobInputs.RunId("nightly", At).Should().Be("backup-nightly-20261122T190846123Z");
    }

    [Fact]
    public void Two_starts_in_the_same_second_are_two_runs()
    {
        RestoreInputs.RunId("db-1", At).Should().NotBe(RestoreInputs.RunId("db-1", At.AddMilliseconds(1)));
        BackupJobInputs.RunId("nightly", At).Should().NotBe(BackupJobInputs.RunId("nightly", At.AddMilliseconds(1)));
    }

    [Fact]
    public void The_longest_site_names_give_valid_distinct_ids()
    {
        var one = new string('a', 62) + "1";
        var two = new string('a', 62) + "2";

        var ids = new[] { RestoreInputs.RunId(one, At), RestoreInputs.RunId(two, At), BackupJobInputs.RunId(one, At), BackupJobInputs.RunId(two, At) };

        ids.Should().OnlyHaveUniqueItems().And.AllSatisfy(id =>
        {
            id.Length.Should().BeLessThanOrEqualTo(64);
            FluentActions.Invoking(() => SiteInputs.ValidateRunId(id)).Should().NotThrow();
            id.Should().EndWith("-20261122T190846123Z");
        });
        ids[0].Should().StartWith("restore-aaaa");
    }
}

using UdcBackup.Scripts.Tests.Fixtures;

namespace UdcBackup.Scripts.Tests;

/// <summary>
/// pg_backup_stop waits until the backup's WAL is archived. When archiving fails, post-backup gives
/// up at its deadline with a distinct exit code and by default ends backup mode; with
/// UDC_POST_TIMEOUT_ACTION=keep it keeps it held, and a later run picks up where it stopped once
/// archiving works again. Own server per test: the tests break it.
/// </summary>
public sealed class PostgreSqlArchiveFailureTests : IAsyncLifetime
{
    private PrivatePostgreSql _pg = null!;

    public async Task InitializeAsync() => _pg = await PrivatePostgreSql.StartAsync();

    public async Task DisposeAsync() => await _pg.DisposeAsync();

    [Fact]
    public async Task Post_backup_times_out_while_archiving_fails_and_completes_when_run_again_after_it_is_fixed()
    {
        var env = _pg.LibpqEnvironment.With(
            ("UDC_STATE_DIR", Path.Combine(_pg.Root, "state")),
            ("UDC_WAL_ARCHIVE", _pg.WalArchive),
            ("UDC_POST_TIMEOUT", "3"),
            ("UDC_POST_TIMEOUT_ACTION", "keep"));
        var archiveCommand = await _pg.ScalarAsync<string>("show archive_command");
        (await ShippedScripts.RunAsync("postgresql/pre-backup", env)).ExitCode.Should().Be(0);
        await _pg.ExecuteAsync("alter system set archive_command = 'false'");
        await _pg.ExecuteAsync("select pg_reload_conf()");

        var stuck = await ShippedScripts.RunAsync("postgresql/post-backup", env);

        stuck.ExitCode.Should().Be(3, stuck.ToString());
        stuck.Stderr.Should().Contain("backup mode is still held");
        var holder = int.Parse(File.ReadAllLines(Path.Combine(_pg.Root, "state", "state")).Last(l => l.StartsWith("holder_pid=", StringComparison.Ordinal))[11..], System.Globalization.CultureInfo.InvariantCulture);
        ProcessState.IsRunning(holder).Should().BeTrue("the session must outlive the timeout, or the backup would be lost");

        await _pg.ExecuteAsync($"alter system set archive_command = '{archiveCommand.Replace("'", "''", StringComparison.Ordinal)}'");
        await _pg.ExecuteAsync("select pg_reload_conf()");
        var resumed = await ShippedScripts.RunAsync("postgresql/post-backup", env.With(("UDC_POST_TIMEOUT", "120")));

        resumed.ExitCode.Should().Be(0, resumed.ToString());
        File.Exists(Path.Combine(_pg.Root, "state", "label", "backup_label")).Should().BeTrue();
        ProcessState.IsRunning(holder).Should().BeFalse();
    }

    [Fact]
    public async Task By_default_post_backup_ends_backup_mode_at_its_deadline_and_reports_the_backup_failed()
    {
        var env = _pg.LibpqEnvironment.With(("UDC_STATE_DIR", Path.Combine(_pg.Root, "state")), ("UDC_WAL_ARCHIVE", _pg.WalArchive), ("UDC_POST_TIMEOUT", "2"));
        (await ShippedScripts.RunAsync("postgresql/pre-backup", env)).ExitCode.Should().Be(0);
        var holder = int.Parse(File.ReadAllLines(Path.Combine(_pg.Root, "state", "state")).Last(l => l.StartsWith("holder_pid=", StringComparison.Ordinal))[11..], System.Globalization.CultureInfo.InvariantCulture);
        await _pg.ExecuteAsync("alter system set archive_command = 'false'");
        await _pg.ExecuteAsync("select pg_reload_conf()");

        var stuck = await ShippedScripts.RunAsync("postgresql/post-backup", env);
        var again = await ShippedScripts.RunAsync("postgresql/post-backup", env);

        stuck.ExitCode.Should().Be(3, stuck.ToString());
        stuck.Stderr.Should().Contain("backup mode was ended: treat this backup as FAILED");
        ProcessState.IsRunning(holder).Should().BeFalse("nothing may hold backup mode after the deadline");
        var backend = File.ReadAllLines(Path.Combine(_pg.Root, "state", "state")).Last(l => l.StartsWith("backend_pid=", StringComparison.Ordinal))[12..];
        (await _pg.ScalarAsync<long>($"select count(*) from pg_stat_activity where pid = {backend}")).Should().Be(0, "the server session stuck waiting for the archive is ended too");
        again.ExitCode.Should().Be(ShippedScripts.BackupModeLost, again.ToString());
    }
}

using UdcBackup.Scripts.Tests.Fixtures;

namespace UdcBackup.Scripts.Tests;

/// <summary>
/// How the backup-mode scripts behave when they are repeated, called out of order, or find their
/// session gone. One server for the class; every test uses its own state folder, and
/// non-exclusive backups of different state folders may overlap.
/// </summary>
public sealed class PostgreSqlBackupModeStateTests(PostgreSqlServerFixture fixture) : IClassFixture<PostgreSqlServerFixture>
{
    private readonly PrivatePostgreSql _pg = fixture.Server;

    private IReadOnlyDictionary<string, string> Env(string name) =>
        _pg.LibpqEnvironment.With(("UDC_STATE_DIR", Path.Combine(_pg.Root, name)), ("UDC_WAL_ARCHIVE", _pg.WalArchive));

    private static string State(IReadOnlyDictionary<string, string> env, string key) =>
        File.ReadAllLines(Path.Combine(env["UDC_STATE_DIR"], "state")).Last(l => l.StartsWith(key + "=", StringComparison.Ordinal))[(key.Length + 1)..];

    [Fact]
    public async Task Pre_backup_twice_keeps_the_same_session_and_post_backup_twice_is_a_success()
    {
        var env = Env("twice");

        var first = await ShippedScripts.RunAsync("postgresql/pre-backup", env);
        var holder = State(env, "holder_pid");
        var second = await ShippedScripts.RunAsync("postgresql/pre-backup", env);

        first.ExitCode.Should().Be(0, first.ToString());
        second.ExitCode.Should().Be(0, second.ToString());
        second.Stderr.Should().Contain("already in backup mode");
        second.Stdout.Should().Be(first.Stdout, "the same backup, started once");
        State(env, "holder_pid").Should().Be(holder);
        var stat = File.ReadAllText($"/proc/{holder}/stat");
        stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[3].Should().Be(holder, "the holder leads its own session, so ending the script's process group cannot end backup mode");

        var stop = await ShippedScripts.RunAsync("postgresql/post-backup", env);
        var stopAgain = await ShippedScripts.RunAsync("postgresql/post-backup", env);

        stop.ExitCode.Should().Be(0, stop.ToString());
        stopAgain.ExitCode.Should().Be(0, stopAgain.ToString());
        stopAgain.Stdout.Should().Be(stop.Stdout);
        ProcessState.IsRunning(int.Parse(holder, System.Globalization.CultureInfo.InvariantCulture)).Should().BeFalse("post-backup ends the holder session");
    }

    [Fact]
    public async Task Two_pre_backups_at_once_start_one_backup()
    {
        var env = Env("concurrent");

        var both = await Task.WhenAll(ShippedScripts.RunAsync("postgresql/pre-backup", env), ShippedScripts.RunAsync("postgresql/pre-backup", env));

        both.Should().OnlyContain(r => r.ExitCode == 0);
        both[0].Stdout.Should().Be(both[1].Stdout);
        both.Count(r => r.Stderr.Contains("already in backup mode", StringComparison.Ordinal)).Should().Be(1);
        (await ShippedScripts.RunAsync("postgresql/post-backup", env)).ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task Post_backup_after_the_holder_was_killed_reports_the_backup_as_failed()
    {
        var env = Env("killed");
        (await ShippedScripts.RunAsync("postgresql/pre-backup", env)).ExitCode.Should().Be(0);
        var holder = int.Parse(State(env, "holder_pid"), System.Globalization.CultureInfo.InvariantCulture);

        using (var process = System.Diagnostics.Process.GetProcessById(holder))
        {
            process.Kill();
        }

        var post = await ShippedScripts.RunAsync("postgresql/post-backup", env);
        var again = await ShippedScripts.RunAsync("postgresql/post-backup", env);

        post.ExitCode.Should().Be(ShippedScripts.BackupModeLost, post.ToString());
        post.Stderr.Should().Contain("treat this backup as FAILED");
        again.ExitCode.Should().Be(ShippedScripts.BackupModeLost, "a lost backup stays lost");
        Directory.Exists(Path.Combine(env["UDC_STATE_DIR"], "label")).Should().BeFalse("no label may be produced for a backup that failed");

        var next = await ShippedScripts.RunAsync("postgresql/pre-backup", env);
        next.ExitCode.Should().Be(0, "the next backup starts afresh: " + next);
        (await ShippedScripts.RunAsync("postgresql/post-backup", env)).ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task Post_backup_after_the_server_ended_the_session_reports_the_backup_as_failed()
    {
        var env = Env("terminated");
        (await ShippedScripts.RunAsync("postgresql/pre-backup", env)).ExitCode.Should().Be(0);

        await _pg.ExecuteAsync($"select pg_terminate_backend({State(env, "backend_pid")})");
        var post = await ShippedScripts.RunAsync("postgresql/post-backup", env);

        post.ExitCode.Should().Be(ShippedScripts.BackupModeLost, post.ToString());
    }

    [Fact]
    public async Task Post_backup_without_pre_backup_is_a_distinct_failure()
    {
        var post = await ShippedScripts.RunAsync("postgresql/post-backup", Env("never-started"));

        post.ExitCode.Should().Be(ShippedScripts.NotInBackupMode, post.ToString());
        post.Stderr.Should().Contain("no backup mode was started");
    }

    [Fact]
    public async Task Pre_backup_against_a_missing_server_fails_with_the_reason_and_leaves_nothing_behind()
    {
        var env = Env("no-server").With(("PGPORT", "1"));

        var pre = await ShippedScripts.RunAsync("postgresql/pre-backup", env);

        pre.ExitCode.Should().Be(1, pre.ToString());
        pre.Stderr.Should().Contain("could not open a database session").And.Contain("No such file or directory");
        File.Exists(Path.Combine(env["UDC_STATE_DIR"], "state")).Should().BeFalse();
    }
}

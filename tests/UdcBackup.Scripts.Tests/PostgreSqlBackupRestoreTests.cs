using System.Collections.Concurrent;
using System.Globalization;
using Npgsql;
using Xunit.Abstractions;
using UdcBackup.Scripts.Tests.Fixtures;

namespace UdcBackup.Scripts.Tests;

/// <summary>
/// The whole backup-mode cycle on a real PostgreSQL 15: pre-backup, a plain file copy of the data
/// directory while rows keep being committed, post-backup, then the copy plus the label folder
/// restored into a fresh folder and started by start-programs.
/// </summary>
public sealed class PostgreSqlBackupRestoreTests(ITestOutputHelper output) : IAsyncLifetime
{
    private PrivatePostgreSql _pg = null!;

    public async Task InitializeAsync() => _pg = await PrivatePostgreSql.StartAsync();

    public async Task DisposeAsync() => await _pg.DisposeAsync();

    /// <param name="fromArchive">WAL taken from the archive (UDC_WAL_ARCHIVE) or from pg_wal, held by a temporary slot.</param>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Copy_taken_in_backup_mode_restores_every_row_committed_before_post_backup_and_is_consistent(bool fromArchive)
    {
        var state = Path.Combine(_pg.Root, "agent-state");
        var env = _pg.LibpqEnvironment.With(("UDC_STATE_DIR", state), ("UDC_BACKUP_LABEL", "udc-test"));
        if (fromArchive)
        {
            env = env.With(("UDC_WAL_ARCHIVE", _pg.WalArchive));
        }

        await _pg.ExecuteAsync("create table orders (id bigint generated always as identity primary key, note text not null, filler text not null)");

        var committed = new ConcurrentQueue<long>();
        using var stopWriting = new CancellationTokenSource();
        var writer = Task.Run(() => WriteRowsAsync(committed, stopWriting.Token));
        await ShippedScripts.WaitUntilAsync(() => Task.FromResult(committed.Count > 200), TimeSpan.FromSeconds(30), "the first rows");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var pre = await ShippedScripts.RunAsync("postgresql/pre-backup", env);
        var preTime = clock.Elapsed;
        pre.ExitCode.Should().Be(0, pre.ToString());
        pre.Stdout.Should().MatchRegex("start_lsn=[0-9A-F]+/[0-9A-F]+");
        var backendPid = ReadState(state, "backend_pid");
        (await _pg.ScalarAsync<long>($"select count(*) from pg_stat_activity where pid = {backendPid}")).Should().Be(1, "the holder session keeps backup mode alive after pre-backup exited");

        var beforeCopy = committed.Count;
        var copy = Path.Combine(_pg.Root, "copy");
        CopyDataDirectory(_pg.DataDirectory, copy);
        await ShippedScripts.WaitUntilAsync(() => Task.FromResult(committed.Count > beforeCopy + 300), TimeSpan.FromSeconds(30), "rows committed during backup mode");

        var committedBeforeStop = committed.ToArray();
        clock.Restart();
        var post = await ShippedScripts.RunAsync("postgresql/post-backup", env);
        var postTime = clock.Elapsed;
        post.ExitCode.Should().Be(0, post.ToString());
        await stopWriting.CancelAsync();
        await writer;

        var label = Path.Combine(state, "label");
        var backupLabel = await File.ReadAllTextAsync(Path.Combine(label, "backup_label"));
        backupLabel.Should().Contain("LABEL: udc-test").And.Contain("BACKUP FROM: primary");
        Directory.GetFiles(Path.Combine(label, "wal")).Should().NotBeEmpty("the snapshot carries the WAL from its start to its end");
        File.Exists(Path.Combine(label, "tablespace_map")).Should().BeFalse("there are no tablespaces, so there is no map");
        ReadState(state, "status").Should().Be("done");

        // Restore: the copy and the label folder land in fresh folders, as a restore stream would put them.
        var restoredData = Path.Combine(_pg.Root, "restored", "data");
        var restoredState = Path.Combine(_pg.Root, "restored", "agent-state");
        var restoredSocket = Path.Combine(_pg.Root, "restored", "run");
        CopyTree(copy, restoredData);
        CopyTree(label, Path.Combine(restoredState, "label"));
        Directory.CreateDirectory(restoredSocket);
        // Only the socket folder is prepared; the restored files stay root's, as a restore writes them.
        await Command.RunCheckedAsync("chown", "postgres", restoredSocket);
        var restoredEnv = new Dictionary<string, string>
        {
            ["PGHOST"] = restoredSocket,
            ["PGPORT"] = "5433",
            ["PGUSER"] = "postgres",
            ["PGDATA"] = restoredData,
            ["UDC_STATE_DIR"] = restoredState,
            ["UDC_PG_CTL_OPTIONS"] = $"-c port=5433 -c unix_socket_directories={restoredSocket} -c archive_mode=off",
        };

        clock.Restart();
        var start = await ShippedScripts.RunAsync("postgresql/start-programs", restoredEnv);
        var startTime = clock.Elapsed;
        start.ExitCode.Should().Be(0, start.ToString());

        await using (var restored = new NpgsqlConnection(PrivatePostgreSql.ConnectionStringFor(restoredSocket, 5433)))
        {
            await restored.OpenAsync();
            (await Scalar<bool>(restored, "select pg_is_in_recovery()")).Should().BeFalse();
            (await Scalar<int>(restored, "select timeline_id from pg_control_checkpoint()")).Should().BeGreaterThan(1, "archive recovery ends on a new timeline");
            var ids = new HashSet<long>();
            await using (var read = new NpgsqlCommand("select id from orders", restored))
            await using (var reader = await read.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    ids.Add(reader.GetInt64(0));
                }
            }

            ids.Should().Contain(committedBeforeStop, "every row committed before pg_backup_stop is in the backup");
            output.WriteLine($"WAL from {(fromArchive ? "archive" : "pg_wal")}: pre-backup {preTime.TotalSeconds:F2}s, post-backup {postTime.TotalSeconds:F2}s, start-programs with recovery {startTime.TotalSeconds:F2}s; rows committed before copy {beforeCopy}, before post-backup {committedBeforeStop.Length}, restored {ids.Count}, WAL segments in snapshot {Directory.GetFiles(Path.Combine(label, "wal")).Length}");
            ids.Count.Should().BeGreaterThan(beforeCopy);
            await Execute(restored, "create extension amcheck");
            await Execute(restored, "select bt_index_check('orders_pkey'::regclass, true)");
            (await Scalar<long>(restored, "select count(*) from orders where note <> 'row ' || id")).Should().Be(0, "no transaction is half applied");
        }

        Directory.Exists(Path.Combine(restoredState, "label")).Should().BeFalse("start-programs consumed the restored label");
        var stop = await ShippedScripts.RunAsync("postgresql/stop-programs", restoredEnv);
        stop.ExitCode.Should().Be(0, stop.ToString());
        var stopAgain = await ShippedScripts.RunAsync("postgresql/stop-programs", restoredEnv);
        stopAgain.ExitCode.Should().Be(0, "stopping a stopped server is a success");
        stopAgain.Stderr.Should().Contain("already stopped");
    }

    [Fact]
    public async Task In_place_restore_stops_the_server_replaces_its_files_and_returns_to_the_snapshot()
    {
        var state = Path.Combine(_pg.Root, "agent-state");
        var env = _pg.LibpqEnvironment.With(("UDC_STATE_DIR", state), ("UDC_WAL_ARCHIVE", _pg.WalArchive));
        await _pg.ExecuteAsync("create table items (id int primary key); insert into items select generate_series(1, 100)");
        (await ShippedScripts.RunAsync("postgresql/pre-backup", env)).ExitCode.Should().Be(0);
        var copy = Path.Combine(_pg.Root, "copy");
        CopyDataDirectory(_pg.DataDirectory, copy);
        (await ShippedScripts.RunAsync("postgresql/post-backup", env)).ExitCode.Should().Be(0);
        await _pg.ExecuteAsync("insert into items select generate_series(101, 150)");

        var stop = await ShippedScripts.RunAsync("postgresql/stop-programs", env);
        stop.ExitCode.Should().Be(0, stop.ToString());
        Directory.Exists(Path.Combine(state, "label")).Should().BeFalse("the last backup's label is moved aside, so only a restored one is used");

        // What a restore stream does: the data directory replaced by the snapshot's, the label folder put back.
        Directory.Delete(_pg.DataDirectory, recursive: true);
        CopyTree(copy, _pg.DataDirectory);
        CopyTree(Path.Combine(state, "label.previous"), Path.Combine(state, "label"));

        var start = await ShippedScripts.RunAsync("postgresql/start-programs", env.With(("UDC_PG_CTL_OPTIONS", "-c archive_mode=off")));
        start.ExitCode.Should().Be(0, start.ToString());

        (await _pg.ScalarAsync<long>("select count(*) from items")).Should().Be(100, "the rows written after the backup are not in the snapshot");
        (await _pg.ScalarAsync<bool>("select pg_is_in_recovery()")).Should().BeFalse();
        var again = await ShippedScripts.RunAsync("postgresql/start-programs", env);
        again.ExitCode.Should().Be(0, "starting a running server is a success");
    }

    private async Task WriteRowsAsync(ConcurrentQueue<long> committed, CancellationToken stop)
    {
        await using var connection = await _pg.OpenAsync();
        while (!stop.IsCancellationRequested)
        {
            // Two statements in one transaction: a restored row without its note would mean a
            // half-applied transaction, which recovery must never produce.
            await using var transaction = await connection.BeginTransactionAsync(CancellationToken.None);
            await using var insert = new NpgsqlCommand("insert into orders (note, filler) values ('', repeat('x', 500)) returning id", connection, transaction);
            var id = (long)(await insert.ExecuteScalarAsync(CancellationToken.None))!;
            await using var note = new NpgsqlCommand("update orders set note = 'row ' || id where id = $1", connection, transaction);
            note.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
            await note.ExecuteNonQueryAsync(CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
            committed.Enqueue(id);
        }
    }

    /// <summary>
    /// A plain file copy of a live data directory, as a disk agent would stream it: files may change
    /// or vanish while they are read; what PostgreSQL rebuilds on start is left out.
    /// </summary>
    private static void CopyDataDirectory(string source, string destination)
    {
        string[] emptied = ["pg_wal", "pg_replslot", "pg_stat_tmp", "pg_dynshmem", "pg_notify", "pg_serial", "pg_snapshots", "pg_subtrans"];
        foreach (var directory in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories).Prepend(source))
        {
            var relative = Path.GetRelativePath(source, directory);
            if (emptied.Any(e => relative.StartsWith(e + "/", StringComparison.Ordinal)))
            {
                continue;
            }

            Directory.CreateDirectory(Path.Combine(destination, relative));
            if (emptied.Contains(relative))
            {
                continue;
            }

            foreach (var file in SafeFiles(directory))
            {
                var name = Path.GetFileName(file);
                if (relative == "." && name is "postmaster.pid" or "postmaster.opts")
                {
                    continue;
                }

                try
                {
                    File.Copy(file, Path.Combine(destination, relative, name));
                }
                catch (FileNotFoundException)
                {
                    // removed by the server while we copied: WAL replay recreates what matters
                }
            }
        }
    }

    private static string[] SafeFiles(string directory)
    {
        try
        {
            return Directory.GetFiles(directory);
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }

    private static void CopyTree(string source, string destination)
    {
        foreach (var directory in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories).Prepend(source))
        {
            Directory.CreateDirectory(Path.Combine(destination, Path.GetRelativePath(source, directory)));
        }

        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(destination, Path.GetRelativePath(source, file)));
        }
    }

    private static string ReadState(string stateDirectory, string key) =>
        File.ReadAllLines(Path.Combine(stateDirectory, "state")).Last(l => l.StartsWith(key + "=", StringComparison.Ordinal))[(key.Length + 1)..];

    private static async Task<T> Scalar<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), CultureInfo.InvariantCulture);
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

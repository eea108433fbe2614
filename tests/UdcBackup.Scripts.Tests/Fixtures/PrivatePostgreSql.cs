using System.Globalization;
using Npgsql;

namespace UdcBackup.Scripts.Tests.Fixtures;

/// <summary>
/// A private PostgreSQL server for one test class or run: initdb in a fresh temporary folder, run
/// as the <c>postgres</c> user (the server refuses root), reachable only on a Unix socket inside
/// that folder (so any port number is free), with WAL archiving into <see cref="WalArchive"/>.
/// Dispose stops it (immediate mode), ends the backup-mode holder sessions the scripts left
/// under the folder (by the pids they recorded) and deletes the folder.
/// Requires root and the Debian PostgreSQL 15 server (deploy/install-deps.sh test); without them it
/// fails with a message that says so, it never skips.
/// Reusable: copy or reference this file; it depends only on <see cref="Command"/> and Npgsql.
/// </summary>
public sealed class PrivatePostgreSql : IAsyncDisposable
{
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";
    public const int Port = 5432;

    private PrivatePostgreSql(string root)
    {
        Root = root;
    }

    /// <summary>The temporary folder that holds everything (owned by postgres).</summary>
    public string Root { get; }

    public string DataDirectory => Path.Combine(Root, "data");

    public string SocketDirectory => Path.Combine(Root, "run");

    public string WalArchive => Path.Combine(Root, "wal-archive");

    public string LogFile => Path.Combine(Root, "server.log");

    public string ConnectionString => ConnectionStringFor(SocketDirectory, Port);

    /// <summary>libpq environment variables that make psql and the scripts reach this server.</summary>
    public IReadOnlyDictionary<string, string> LibpqEnvironment => new Dictionary<string, string>
    {
        ["PGHOST"] = SocketDirectory,
        ["PGPORT"] = Port.ToString(CultureInfo.InvariantCulture),
        ["PGUSER"] = "postgres",
        ["PGDATABASE"] = "postgres",
        ["PGDATA"] = DataDirectory,
    };

    public static string ConnectionStringFor(string socketDirectory, int port) =>
        new NpgsqlConnectionStringBuilder { Host = socketDirectory, Port = port, Username = "postgres", Database = "postgres", Pooling = false }.ConnectionString;

    public static async Task<PrivatePostgreSql> StartAsync()
    {
        RequireRootAndServer();
        var root = Directory.CreateTempSubdirectory("udc-pg-").FullName;
        var server = new PrivatePostgreSql(root);
        try
        {
            Directory.CreateDirectory(server.SocketDirectory);
            Directory.CreateDirectory(server.WalArchive);
            await Command.RunCheckedAsync("chown", "-R", "postgres", root);
            await Command.RunCheckedAsync("chmod", "755", root);
            await server.AsPostgresAsync("initdb", "-D", server.DataDirectory, "-A", "trust", "-U", "postgres", "--no-sync");
            await File.AppendAllTextAsync(Path.Combine(server.DataDirectory, "postgresql.conf"), $"""

                # test instance: socket only, inside its own folder; WAL archived for backups
                port = {Port}
                listen_addresses = ''
                unix_socket_directories = '{server.SocketDirectory}'
                archive_mode = on
                archive_command = 'test ! -f {server.WalArchive}/%f && cp %p {server.WalArchive}/%f'
                archive_timeout = 0
                fsync = off
                """);
            await server.StartServerAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs one of the server's programs (initdb, pg_ctl ...) as the postgres user.</summary>
    public async Task<CommandResult> AsPostgresAsync(string program, params string[] args)
    {
        var result = await Command.RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(BinDirectory, program), .. args], timeout: TimeSpan.FromSeconds(90));
        if (result.ExitCode != 0)
        {
            var log = File.Exists(LogFile) ? await File.ReadAllTextAsync(LogFile) : string.Empty;
            throw new InvalidOperationException($"{result}{Environment.NewLine}server log: {log}");
        }

        return result;
    }

    public Task StartServerAsync() => AsPostgresAsync("pg_ctl", "-D", DataDirectory, "-l", LogFile, "-w", "start");

    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var dataDirectory in Directory.EnumerateFiles(Root, "PG_VERSION", SearchOption.AllDirectories).Select(Path.GetDirectoryName))
        {
            if (File.Exists(Path.Combine(dataDirectory!, "postmaster.pid")))
            {
                await Command.RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(BinDirectory, "pg_ctl"), "-D", dataDirectory!, "-m", "immediate", "stop"]);
            }
        }

        // Holder sessions left by pre-backup: each recorded its own pid in its state folder.
        foreach (var pidFile in Directory.EnumerateFiles(Root, "holder.pid", SearchOption.AllDirectories))
        {
            // The pid is only trusted while its command line still names this folder (no reuse).
            if (int.TryParse(await File.ReadAllTextAsync(pidFile), out var pid)
                && File.Exists($"/proc/{pid}/cmdline")
                && (await File.ReadAllTextAsync($"/proc/{pid}/cmdline")).Contains(Root, StringComparison.Ordinal))
            {
                try
                {
                    using var holder = System.Diagnostics.Process.GetProcessById(pid);
                    holder.Kill();
                }
                catch (ArgumentException)
                {
                    // already gone
                }
            }
        }

        Directory.Delete(Root, recursive: true);
    }

    private static void RequireRootAndServer()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            throw new InvalidOperationException("These tests start a private PostgreSQL as the postgres user and must run as root (CI does); run them with sudo.");
        }

        if (!File.Exists(Path.Combine(BinDirectory, "initdb")))
        {
            throw new InvalidOperationException($"PostgreSQL 15 is not installed ({BinDirectory}/initdb missing); run deploy/install-deps.sh test.");
        }
    }
}

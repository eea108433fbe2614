using System.Globalization;
using Npgsql;
using UdcBackup.Scripts.Tests.Fixtures;

namespace UdcBackup.Scripts.Tests;

/// <summary>deploy/demo/demo-systems.sh brings up the demo site's three systems and takes them down again.</summary>
public sealed class DemoSystemsTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("udc-demo-").FullName;

    private Dictionary<string, string> Env => new() { ["UDC_DEMO_ROOT"] = _root };

    private static string DemoScript => Path.Combine(RepositoryPaths.Root, "deploy", "demo", "demo-systems.sh");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await Command.RunAsync(DemoScript, ["stop"], Env);
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Start_brings_up_files_app_and_postgresql_idempotently_and_stop_ends_them()
    {
        var start = await Command.RunAsync(DemoScript, ["start"], Env, TimeSpan.FromSeconds(120));
        start.ExitCode.Should().Be(0, start.ToString());
        var pidFile = Path.Combine(_root, "app-files", "app.pid");
        var app = int.Parse(await File.ReadAllTextAsync(pidFile), CultureInfo.InvariantCulture);

        var again = await Command.RunAsync(DemoScript, ["start"], Env, TimeSpan.FromSeconds(120));
        again.ExitCode.Should().Be(0, again.ToString());
        int.Parse(await File.ReadAllTextAsync(pidFile), CultureInfo.InvariantCulture).Should().Be(app, "a running app is left alone");
        Directory.GetFiles(Path.Combine(_root, "web-files", "htdocs")).Should().HaveCountGreaterThan(10);
        ProcessState.IsRunning(app).Should().BeTrue();

        var connection = new NpgsqlConnectionStringBuilder { Host = Path.Combine(_root, "pg-demo", "run"), Port = 5433, Username = "postgres", Database = "postgres", Pooling = false };
        await ShippedScripts.WaitUntilAsync(
            async () =>
            {
                await using var db = new NpgsqlConnection(connection.ConnectionString);
                await db.OpenAsync();
                await using var count = new NpgsqlCommand("select count(*) from demo_events", db);
                return (long)(await count.ExecuteScalarAsync())! >= 2;
            },
            TimeSpan.FromSeconds(30),
            "rows from the demo writer");

        var stop = await Command.RunAsync(DemoScript, ["stop"], Env, TimeSpan.FromSeconds(120));
        stop.ExitCode.Should().Be(0, stop.ToString());
        ProcessState.IsRunning(app).Should().BeFalse();
        (await Command.RunAsync(DemoScript, ["status"], Env)).Stdout.Should().Contain("pg-demo: stopped").And.Contain("app-files: stopped");
    }
}

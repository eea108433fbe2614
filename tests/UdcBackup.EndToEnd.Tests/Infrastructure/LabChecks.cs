using System.Globalization;
using Npgsql;
using UdcBackup.Testing.Processes;
using UdcBackup.Testing.Zones;

namespace UdcBackup.EndToEnd.Tests.Infrastructure;

/// <summary>
/// What must hold whenever no job runs: the designated port is closed (a connection from the
/// protected zone to the media agent's port fails) and the firewall's rule set is byte-identical
/// to the one before any job; PostgreSQL is not in backup mode (no holder session of the scripts
/// alive, no backend of one left); the application runs (not stopped); every snapshot in the
/// repository verifies.
/// </summary>
public static class LabChecks
{
    public static async Task<bool> PortOpenAsync(this SiteLab lab) =>
        await lab.Zones.Protected.CanConnectAsync(ZoneAddresses.Controller, SiteLab.MediaPort, TimeSpan.FromSeconds(2));

    public static async Task AssertAtRestAsync(this SiteLab lab, string because)
    {
        (await lab.PortOpenAsync()).Should().BeFalse($"the designated port is closed {because}");
        var comparison = (await lab.Firewall.SnapshotAsync()).Compare(lab.FirewallBefore);
        comparison.Identical.Should().BeTrue($"the rule set is as before {because}: added {string.Join(" | ", comparison.AddedLines)}; removed {string.Join(" | ", comparison.RemovedLines)}");
        (await lab.BackupModeSessionsAsync()).Should().Be(0, $"PostgreSQL is not left in backup mode {because}");
        lab.AppRuns().Should().BeTrue($"the application runs {because}");
    }

    /// <summary>Sessions of the backup-mode holder still open in PostgreSQL (0 when none).</summary>
    public static async Task<long> BackupModeSessionsAsync(this SiteLab lab)
    {
        var state = Path.Combine(lab.DbStateFolder, "state");
        var status = File.Exists(state) ? File.ReadLines(state).Where(l => l.StartsWith("status=", StringComparison.Ordinal)).Select(l => l[7..]).LastOrDefault() : null;
        await using var db = await lab.Postgres.OpenAsync();
        await using var count = new NpgsqlCommand("select count(*) from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid()", db);
        var others = (long)(await count.ExecuteScalarAsync())!;
        return status == "active" ? Math.Max(others, 1) : others;
    }

    /// <summary>Runs <c>udc archive verify</c> on the repository (every snapshot, data read back).</summary>
    public static async Task AssertSnapshotsVerifyAsync(this SiteLab lab)
    {
        var (code, stdout, stderr) = await ProcessRun.RunAsync(
            UdcProgram.Command("archive", "verify", "--repo", lab.RepositoryPath, "--password-file", lab.PasswordFile, "--read-data"), timeout: TimeSpan.FromMinutes(3));
        code.Should().Be(0, string.Create(CultureInfo.InvariantCulture, $"every snapshot verifies:{Environment.NewLine}{stdout}{Environment.NewLine}{stderr}"));
    }
}

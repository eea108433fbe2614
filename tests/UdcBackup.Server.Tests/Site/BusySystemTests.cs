using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using UdcBackup.Server.Tests.Infrastructure;
using UdcBackup.Testing;
using UdcBackup.Testing.Sites;

namespace UdcBackup.Server.Tests.Site;

/// <summary>
/// One backup or restore works on a system at a time: while a backup of the sample job runs (its
/// firewall namespace does not exist, so it keeps retrying to open its window and stays running),
/// a second backup of the job and a restore to one of its systems are refused with a 409 that
/// names the running run and what to do, and start nothing; the CLI exits 2 with the same words;
/// --force starts the restore anyway. A scheduled backup is held to the same rule both ways.
/// </summary>
public sealed class BusySystemTests
{
    [Fact]
    public async Task A_backup_or_restore_on_a_system_another_run_works_on_is_refused_unless_forced()
    {
        await using var server = await ServerProcess.StartAsync();
        var site = new SampleSite();
        await site.ApplyAsync(server);
        await site.AddSnapshotAsync(server, "snap-busy");
        var backup = await StartAsync(server, "/api/backups", new { job = site.Job });

        using (var second = await server.Http.PostAsJsonAsync(new Uri("/api/backups", UriKind.Relative), new { job = site.Job }))
        {
            second.StatusCode.Should().Be(HttpStatusCode.Conflict, await second.Content.ReadAsStringAsync());
            var detail = JsonNode.Parse(await second.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>();
            detail.Should().Be(
                $"{SampleSite.FirstSystem} is busy: backup.job run {backup} works on it (started {Started(await server.GetRawAsync($"/api/jobs/{backup}"))}Z); one backup or restore works on a system at a time. "
                + $"Wait for it to close (udc jobs show {backup} --follow), cancel it (udc workflow cancel {backup}), or start anyway with --force. Nothing was started.");
        }

        var refused = await server.RunCliAsync("restore", "start", "--system", SampleSite.FirstSystem, "--snapshot", "snap-busy");
        refused.ExitCode.Should().Be(2, refused.ToString());
        refused.Stderr.Should().Contain($"{SampleSite.FirstSystem} is busy: backup.job run {backup}");
        JsonNode.Parse(await server.GetRawAsync("/api/jobs"))!.AsArray().Should().ContainSingle("the refused starts started nothing");

        var forced = await server.RunCliAsync("restore", "start", "--system", SampleSite.FirstSystem, "--snapshot", "snap-busy", "--force");
        forced.ExitCode.Should().Be(0, forced.ToString());
        JsonNode.Parse(await server.GetRawAsync("/api/jobs"))!.AsArray().Should().HaveCount(2);
    }

    [Fact]
    public async Task A_scheduled_backup_is_skipped_while_another_run_works_on_one_of_its_systems()
    {
        await using var server = await ServerProcess.StartAsync();
        var site = new SampleSite();
        await site.ApplyAsync(server);
        var schedule = $"job-{site.Job}";
        var byHand = await StartAsync(server, "/api/backups", new { job = site.Job });
        var started = Started(await server.GetRawAsync($"/api/jobs/{byHand}"));

        var skipped = await server.RunCliAsync("schedule", "trigger", schedule);
        var shown = await server.RunCliAsync("schedule", "show", schedule);

        skipped.ExitCode.Should().Be(2, "a trigger that started nothing is refused, as a backup started by hand is; " + skipped);
        skipped.Stdout.Should().BeEmpty("standard output carries only the id of a started run");
        skipped.Stderr.Trim().Should().Be($"udc: Skipped: system={SampleSite.FirstSystem} is held by backup.job run {byHand} (started {started}Z); nothing was started.");
        shown.ExitCode.Should().Be(0, shown.ToString());
        shown.Stdout.Should().Contain("Skipped").And.Contain($"held by backup.job run {byHand}");
        JsonNode.Parse(await server.GetRawAsync("/api/jobs"))!.AsArray().Should().ContainSingle("the skipped firing started nothing");
    }

    [Fact]
    public async Task A_scheduled_backup_holds_its_systems_against_a_backup_started_by_hand()
    {
        await using var server = await ServerProcess.StartAsync();
        var site = new SampleSite();
        await site.ApplyAsync(server);

        var fired = await server.RunCliAsync("schedule", "trigger", $"job-{site.Job}");
        fired.ExitCode.Should().Be(0, fired.ToString());
        var scheduled = fired.Stdout.Trim();
        scheduled.Should().StartWith($"job-{site.Job}-");

        using var refused = await server.Http.PostAsJsonAsync(new Uri("/api/backups", UriKind.Relative), new { job = site.Job });
        refused.StatusCode.Should().Be(HttpStatusCode.Conflict, await refused.Content.ReadAsStringAsync());
        JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>().Should().StartWith($"{SampleSite.FirstSystem} is busy: backup.job run {scheduled} works on it");
    }

    private static string Started(string job) =>
        JsonNode.Parse(job)!["startTime"]!.GetValue<DateTime>().ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<string> StartAsync(ServerProcess server, string path, object request)
    {
        using var started = await server.Http.PostAsJsonAsync(new Uri(path, UriKind.Relative), request);
        var body = await started.Content.ReadAsStringAsync();
        started.StatusCode.Should().Be(HttpStatusCode.Created, body);
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }
}

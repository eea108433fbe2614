using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using UdcBackup.Server.Tests.Infrastructure;
using UdcBackup.Server.Tests.Site;

namespace UdcBackup.Server.Tests.Auth;

/// <summary>
/// The three roles against a real controller: a viewer reads (runs, systems, snapshots) and is
/// refused every change; an operator starts backups and restores but cannot apply a site or
/// manage users; an admin can; and an approved restore to another system names the signed-in
/// user as approver, whatever name the request carried.
/// </summary>
public sealed class RoleTests : IClassFixture<SharedServerFixture>
{
    private const string SnapshotId = "snap-roles-0001";
    private readonly ServerProcess _server;

    public RoleTests(SharedServerFixture fixture)
    {
        _server = fixture.Server;
    }

    [Fact]
    public async Task A_viewer_reads_runs_systems_and_snapshots_but_cannot_start_or_cancel()
    {
        await ApplySiteAsync();
        var run = await _server.StartWorkflowAsync("diag.steps", new { steps = 1, stepMillis = 20_000, cleanupMillis = 10 }, "viewer-cannot-cancel");
        using var viewer = await _server.SignedInAsync("watcher", "viewer");

        (await viewer.GetAsync(new Uri("/api/workflows", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);
        var systems = JsonDocument.Parse(await viewer.GetStringAsync(new Uri("/api/systems", UriKind.Relative))).RootElement;
        systems.EnumerateArray().Select(s => s.GetProperty("id").GetString()).Should().BeEquivalentTo([SiteYaml.FirstSystem, SiteYaml.SecondSystem]);
        systems[0].GetProperty("zone").GetString().Should().Be("oc");
        var snapshots = JsonDocument.Parse(await viewer.GetStringAsync(new Uri($"/api/snapshots?system={SiteYaml.FirstSystem}", UriKind.Relative))).RootElement;
        var snapshot = snapshots.EnumerateArray().Should().ContainSingle().Subject;
        snapshot.GetProperty("snapshotId").GetString().Should().Be(SnapshotId);
        snapshot.GetProperty("mediaAgentId").GetString().Should().Be("media-1");
        (await viewer.GetStringAsync(new Uri($"/api/snapshots?system={SiteYaml.SecondSystem}", UriKind.Relative))).Should().Be("[]");

        var jobsBefore = await _server.GetRawAsync("/api/jobs");
        using var start = await viewer.PostAsJsonAsync(new Uri("/api/workflows", UriKind.Relative), new { type = "diag.steps", input = new { steps = 1 }, id = "viewer-start" });
        using var cancel = await viewer.PostAsJsonAsync(new Uri($"/api/workflows/{run.WorkflowId}/cancel", UriKind.Relative), new { reason = "viewer" });
        using var backup = await viewer.PostAsJsonAsync(new Uri("/api/backups", UriKind.Relative), new { job = SiteYaml.Job });

        (await start.ProblemAsync(HttpStatusCode.Forbidden)).GetProperty("detail").GetString().Should().Contain("needs the role operator").And.Contain("watcher is viewer");
        await cancel.ProblemAsync(HttpStatusCode.Forbidden);
        await backup.ProblemAsync(HttpStatusCode.Forbidden);
        (await _server.DescribeAsync(run.WorkflowId)).Status.Should().Be("Running", "the refused cancel changed nothing");
        (await _server.GetRawAsync("/api/workflows")).Should().NotContain("viewer-start");
        (await _server.GetRawAsync("/api/jobs")).Should().Be(jobsBefore, "the refused backup started nothing");
        await _server.Http.PostAsJsonAsync(new Uri($"/api/workflows/{run.WorkflowId}/cancel", UriKind.Relative), new { reason = "test over" });
    }

    [Fact]
    public async Task An_operator_starts_a_backup_but_cannot_apply_a_site_or_create_users_and_an_admin_can()
    {
        using var @operator = await _server.SignedInAsync("runner", "operator");

        using var apply = await @operator.PostAsJsonAsync(new Uri("/api/site", UriKind.Relative), new { yaml = SiteYaml.Valid, file = "operator.yaml" });
        using var user = await @operator.PostAsJsonAsync(new Uri("/api/users", UriKind.Relative), new { user = "sneaky", password = Accounts.Password, role = "admin" });
        using var foreignToken = await @operator.PostAsJsonAsync(new Uri("/api/users/admin/tokens", UriKind.Relative), new { });
        using var ownToken = await @operator.PostAsJsonAsync(new Uri("/api/users/runner/tokens", UriKind.Relative), new { label = "cron" });
        await apply.ProblemAsync(HttpStatusCode.Forbidden);
        await user.ProblemAsync(HttpStatusCode.Forbidden);
        await foreignToken.ProblemAsync(HttpStatusCode.Forbidden);
        ownToken.StatusCode.Should().Be(HttpStatusCode.Created, "a user may mint tokens for itself");

        await ApplySiteAsync();
        // Forced: the class's server may still run another test's restore on a system of the job.
        using var backup = await @operator.PostAsJsonAsync(new Uri("/api/backups", UriKind.Relative), new { job = SiteYaml.Job, force = true });
        backup.StatusCode.Should().Be(HttpStatusCode.Created, await backup.Content.ReadAsStringAsync());
        var id = JsonDocument.Parse(await backup.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        using var cancel = await @operator.PostAsJsonAsync(new Uri($"/api/workflows/{Uri.EscapeDataString(id)}/cancel", UriKind.Relative), new { reason = "operator ends it" });
        cancel.StatusCode.Should().Be(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task An_approved_restore_to_another_system_records_the_signed_in_user_as_approver()
    {
        await ApplySiteAsync();
        using var @operator = await _server.SignedInAsync("night-op", "operator");

        using var restore = await @operator.PostAsJsonAsync(
            new Uri("/api/restores", UriKind.Relative),
            new { system = SiteYaml.FirstSystem, snapshot = SnapshotId, to = SiteYaml.SecondSystem, approve = true, @operator = "someone-else", force = true });

        restore.StatusCode.Should().Be(HttpStatusCode.Created, await restore.Content.ReadAsStringAsync());
        var id = JsonDocument.Parse(await restore.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var input = (await _server.DescribeAsync(id)).Input!.Value;
        input.GetProperty("approvedBy").GetString().Should().Be("night-op");
        input.GetProperty("requestedBy").GetString().Should().Be("night-op");
        await _server.Http.PostAsJsonAsync(new Uri($"/api/workflows/{Uri.EscapeDataString(id)}/cancel", UriKind.Relative), new { reason = "test over" });
    }

    private async Task ApplySiteAsync()
    {
        await SiteYaml.Site.ApplyAsync(_server, "roles.yaml");
        await SiteYaml.Site.AddSnapshotAsync(_server, SnapshotId);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using UdcBackup.Server.Tests.Infrastructure;

namespace UdcBackup.Server.Tests.Auth;

/// <summary>
/// The audit log: every change request and every refused request leaves a row naming the user,
/// the role, the action, its target and the status code; reads that succeed leave none; only an
/// admin may read it.
/// </summary>
public sealed class AuditTests : IClassFixture<SharedServerFixture>
{
    private readonly ServerProcess _server;

    public AuditTests(SharedServerFixture fixture)
    {
        _server = fixture.Server;
    }

    [Fact]
    public async Task Changes_and_refusals_are_recorded_with_the_user_and_only_an_admin_reads_them()
    {
        using var viewer = await _server.SignedInAsync("auditee-viewer", "viewer");
        using var @operator = await _server.SignedInAsync("auditee-op", "operator");
        using var anonymous = _server.CreateClient();

        using (var started = await @operator.PostAsJsonAsync(new Uri("/api/workflows", UriKind.Relative), new { type = "diag.steps", input = new { steps = 1, stepMillis = 10 }, id = "audited-run" }))
        {
            started.StatusCode.Should().Be(HttpStatusCode.Created);
        }

        (await viewer.PostAsJsonAsync(new Uri("/api/workflows/audited-run/cancel", UriKind.Relative), new { reason = "no" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await anonymous.PostAsJsonAsync(new Uri("/api/schedules/nightly/trigger", UriKind.Relative), new { })).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await anonymous.PostAsJsonAsync(new Uri("/api/auth/login", UriKind.Relative), new { user = "auditee-op", password = "wrong password!" })).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await viewer.GetAsync(new Uri("/api/workflows/audited-run", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);
        await (await viewer.GetAsync(new Uri("/api/audit", UriKind.Relative))).ProblemAsync(HttpStatusCode.Forbidden);

        var rows = JsonDocument.Parse(await _server.GetRawAsync("/api/audit?limit=1000")).RootElement.EnumerateArray().ToList();

        rows.Should().ContainSingle(r => Row(r) == "auditee-op|operator|POST|/api/workflows|StartWorkflow|type=diag.steps, id=audited-run|201");
        rows.Should().ContainSingle(r => Row(r) == "auditee-viewer|viewer|POST|/api/workflows/audited-run/cancel|CancelWorkflow|id=audited-run|403");
        rows.Should().ContainSingle(r => Row(r) == "-|-|POST|/api/schedules/nightly/trigger|TriggerSchedule|id=nightly|401");
        rows.Should().ContainSingle(r => Row(r) == "-|-|POST|/api/auth/login|Login|user=auditee-op|401", "a failed sign-in names the user tried, never the password");
        rows.Should().ContainSingle(r => Row(r) == "auditee-op|operator|POST|/api/auth/login|Login|user=auditee-op|200");
        rows.Should().ContainSingle(r => Row(r) == "auditee-viewer|viewer|GET|/api/audit|ListAudit||403");
        rows.Should().NotContain(r => r.GetProperty("path").GetString() == "/api/workflows/audited-run", "a read that succeeds is not a change");
        rows.Select(r => r.GetRawText()).Should().NotContain(t => t.Contains("wrong password", StringComparison.Ordinal) || t.Contains(Accounts.Password, StringComparison.Ordinal));
        rows.Should().OnlyContain(r => r.GetProperty("time").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-10));
    }

    private static string Row(JsonElement r) => string.Join(
        '|',
        Text(r, "user") ?? "-",
        Text(r, "role") ?? "-",
        Text(r, "method"),
        Text(r, "path"),
        Text(r, "action"),
        Text(r, "target"),
        r.GetProperty("outcome").GetInt32());

    private static string? Text(JsonElement r, string name) => r.GetProperty(name).ValueKind == JsonValueKind.Null ? null : r.GetProperty(name).GetString();
}

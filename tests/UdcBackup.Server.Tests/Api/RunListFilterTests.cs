using System.Net;
using System.Text.Json;
using UdcBackup.Server.Tests.Auth;
using UdcBackup.Server.Tests.Infrastructure;

namespace UdcBackup.Server.Tests.Api;

/// <summary>
/// <c>GET /api/workflows</c> filters by the system a run's input names and by start time on the
/// server, pages with a cursor that neither skips nor repeats a run under those filters, and
/// refuses bad values with problem details (the live stream too).
/// </summary>
public sealed class RunListFilterTests : IClassFixture<SharedServerFixture>
{
    private readonly ServerProcess _server;

    public RunListFilterTests(SharedServerFixture fixture)
    {
        _server = fixture.Server;
    }

    [Fact]
    public async Task Runs_are_filtered_by_system_and_start_time_and_paged_without_gaps_or_repeats()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        string alpha = $"alpha-{tag}", beta = $"beta-{tag}";
        var ids = new List<string>();
        foreach (var system in new[] { alpha, beta, alpha, alpha, null })
        {
            // diag.steps ignores the extra property; the input as stored still names the system.
            object input = system is null ? new { steps = 1, stepMillis = 1 } : new { steps = 1, stepMillis = 1, target = new { systemId = system } };
            ids.Add((await _server.StartWorkflowAsync("diag.steps", input, $"filter-{tag}-{ids.Count}")).WorkflowId);
        }

        var all = await ListAsync($"/api/workflows?type=diag.steps&limit=1000");
        var started = ids.ToDictionary(id => id, id => all.Runs.Single(r => r.Id == id).StartTime);

        var first = await ListAsync($"/api/workflows?system={alpha}&limit=2");
        first.Runs.Select(r => r.Id).Should().Equal(ids[3], ids[2]);
        first.Next.Should().NotBeNull("a full page announces the next one");
        var second = await ListAsync(first.Next!);
        second.Runs.Select(r => r.Id).Should().Equal([ids[0]], "the next page continues after the last run of the first, skipping the other system's run");
        second.Next.Should().BeNull();

        (await ListAsync($"/api/workflows?system={beta}")).Runs.Select(r => r.Id).Should().Equal(ids[1]);
        (await ListAsync($"/api/workflows?system=nobody-{tag}")).Runs.Should().BeEmpty();

        var from = Uri.EscapeDataString(started[ids[2]].ToString("O"));
        (await ListAsync($"/api/workflows?system={alpha}&startedAfter={from}")).Runs.Select(r => r.Id).Should().Equal([ids[3], ids[2]], "startedAfter is inclusive");
        (await ListAsync($"/api/workflows?system={alpha}&startedBefore={from}")).Runs.Select(r => r.Id).Should().Equal([ids[0]], "startedBefore is exclusive");
        var to = Uri.EscapeDataString(started[ids[4]].ToString("O"));
        (await ListAsync($"/api/workflows?type=diag.steps&startedAfter={from}&startedBefore={to}")).Runs.Select(r => r.Id).Should().Equal(ids[3], ids[2]);

        // A cursor works without the system filter too, one run a page, in order.
        var walked = new List<string>();
        var next = $"/api/workflows?type=diag.steps&startedAfter={Uri.EscapeDataString(started[ids[0]].ToString("O"))}&limit=1";
        while (next is not null && walked.Count < 10)
        {
            var page = await ListAsync(next);
            walked.AddRange(page.Runs.Select(r => r.Id));
            next = page.Next;
        }

        walked.Should().Equal(Enumerable.Reverse(ids));
    }

    [Theory]
    [InlineData("/api/workflows?startedAfter=yesterday", "startedAfter 'yesterday' is not a time")]
    [InlineData("/api/workflows?startedAfter=2026-11-22T10:00:00Z&startedBefore=2026-11-22T09:00:00Z", "must be earlier than startedBefore")]
    [InlineData("/api/workflows?system=%20", "system must not be blank")]
    [InlineData("/api/workflows?after=%20", "after must not be blank")]
    [InlineData("/api/workflows?status=Sleeping", "Unknown status 'Sleeping'")]
    [InlineData("/api/workflows?limit=0", "limit must be between 1 and 1000")]
    [InlineData("/api/live/workflows?startedBefore=soon", "startedBefore 'soon' is not a time")]
    [InlineData("/api/live/workflows?system=%20", "system must not be blank")]
    public async Task Bad_filter_values_are_refused_with_problem_details(string path, string message)
    {
        using var response = await _server.Http.GetAsync(new Uri(path, UriKind.Relative));
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("detail").GetString().Should().Contain(message);
    }

    private async Task<(List<(string Id, DateTime StartTime)> Runs, string? Next)> ListAsync(string path)
    {
        using var response = await _server.Http.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        var runs = JsonDocument.Parse(body).RootElement.EnumerateArray()
            .Select(r => (r.GetProperty("workflowId").GetString()!, r.GetProperty("startTime").GetDateTime())).ToList();
        string? next = null;
        if (response.Headers.TryGetValues("Link", out var links))
        {
            var link = links.Single();
            link.Should().EndWith("; rel=\"next\"");
            next = link[(link.IndexOf('<', StringComparison.Ordinal) + 1)..link.IndexOf('>', StringComparison.Ordinal)];
        }

        return (runs, next);
    }
}

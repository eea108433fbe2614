using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using UdcBackup.Durable.Storage;
using UdcBackup.Server.Api.Contracts;
using UdcBackup.Server.Tests.Infrastructure;
using UdcBackup.Testing.Sites;

namespace UdcBackup.Server.Tests.Site;

/// <summary>
/// A controller stopped while a site job's fire time passed, then started with a narrower
/// <c>ScriptEnvironmentPrefixes</c>: the durable runtime catches the missed fire up as it starts,
/// and that catch-up must already start <c>backup.refused</c>, never <c>backup.job</c> (which
/// would open the firewall window and quiesce systems before a disk agent refuses the script).
/// The overdue fire is made deterministic by moving the schedule's "handled until" instant in the
/// stopped controller's store to just before a fire time inside the job's window.
/// </summary>
public sealed class NarrowedStartupCatchUpTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_fire_time_caught_up_at_start_starts_the_refusal_not_the_backup()
    {
        await using var server = await ServerProcess.StartAsync(environment: PrefixSettings.Wide);
        var site = new SampleSite
        {
            FirstScripts = new Dictionary<string, string>
            {
                ["preBackup"] = "{ name: db/pre-backup, env: { ACME_X: '1' } }",
                ["postBackup"] = "db/post-backup",
            },
        };

        // A daily fire time ten minutes ago: inside the job's 3 h window, and the next one is a day away.
        var now = DateTime.UtcNow;
        var fire = new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, DateTimeKind.Utc).AddMinutes(-10);
        var yaml = site.Yaml.Replace("cron: \"0 2 1 1 *\"", $"cron: \"{fire.Minute} {fire.Hour} * * *\"", StringComparison.Ordinal);
        yaml.Should().NotBe(site.Yaml, "the sample site's schedule line is replaced");
        using (var applied = await server.Http.PostAsJsonAsync(new Uri("/api/site", UriKind.Relative), new { yaml, file = "catch-up.yaml" }))
        {
            applied.IsSuccessStatusCode.Should().BeTrue(await applied.Content.ReadAsStringAsync());
        }

        var scheduleId = $"job-{site.Job}";
        server.Kill();
        await RewindAsync(Path.Combine(server.DataDirectory, "workflows.db"), scheduleId, fire.AddMinutes(-1));
        await server.RestartAsync(PrefixSettings.Narrow);

        var workflowId = $"{scheduleId}-{fire:yyyyMMdd'T'HHmmss'Z'}";
        var schedule = JsonSerializer.Deserialize<ScheduleInfo>(await server.GetRawAsync($"/api/schedules/{scheduleId}"), JsonSerializerOptions.Web)!;
        schedule.RecentActions.Select(a => a.WorkflowId).Should().Contain(workflowId, "the runtime caught the missed fire up during its start, before /healthz answered");
        (await server.DescribeAsync(workflowId)).WorkflowType.Should().Be("backup.refused", "a backup.job would open the window before a disk agent refuses the script");
        var run = await server.WaitClosedAsync(workflowId, Deadline);
        run.Status.Should().Be("Failed");
        run.Failure!.Describe().Should().Contain("ACME_X").And.Contain("ScriptEnvironmentPrefixes");
        run.History.Should().NotContain(h => h.ActivityType != null, "no step of the run may start");
    }

    // The store as the stopped controller left it; only the schedule's state changes, as a controller
    // that was down over the fire time would have left it.
    private static async Task RewindAsync(string databasePath, string scheduleId, DateTime handledUntil)
    {
        await using var store = new SqliteWorkflowStore(new SqliteWorkflowStoreOptions { Path = databasePath });
        await store.InitializeAsync();
        var record = await store.GetScheduleAsync(scheduleId) ?? throw new InvalidOperationException($"no schedule {scheduleId} in {databasePath}");
        var state = JsonNode.Parse(record.StateJson)!.AsObject();
        state.Should().ContainKey("processedUntil", "the schedule state names the instant its fire times are handled until");
        state["processedUntil"] = handledUntil;
        var set = new StoreWriteSet { UpsertSchedule = record with { StateJson = state.ToJsonString() } };
        (await store.CommitAsync([set])).Should().Equal(true);
    }
}

using System.Text.Json;
using UdcBackup.Agents.Audit;

namespace UdcBackup.Agents.Tests.Audit;

public sealed class AuditLogTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Entries_are_appended_as_json_lines_and_survive_a_new_log_instance()
    {
        var path = _temp.Combine("audit", "agent.jsonl");
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero));
        new AuditLog(path, time).Accepted("disk:portal-db", "backup.stream", "token accepted", target: "media-1", jobId: "job-1");
        new AuditLog(path, time).Refused("disk:web-1", "snapshot.list", "protected systems cannot list backups\nsecond line");

        var lines = File.ReadAllLines(path);
        lines.Should().HaveCount(2);
        foreach (var line in lines)
        {
            using var doc = JsonDocument.Parse(line);
            doc.RootElement.GetProperty("actor").GetString().Should().StartWith("disk:");
        }

        var entries = new AuditLog(path).ReadAll();
        entries[0].Decision.Should().Be(AuditDecision.Accepted);
        entries[0].JobId.Should().Be("job-1");
        entries[1].Decision.Should().Be(AuditDecision.Refused);
        entries[1].Reason.Should().Contain("\nsecond line");
        entries[1].Time.Should().Be(time.GetUtcNow());
        File.GetUnixFileMode(path).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public async Task Concurrent_writers_never_interleave_lines()
    {
        var log = new AuditLog(_temp.Combine("audit.jsonl"));
        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < 50; i++)
            {
                log.Accepted($"disk:w{w}", "script.run", new string('x', 500));
            }
        })));

        log.ReadAll().Should().HaveCount(400);
    }
}

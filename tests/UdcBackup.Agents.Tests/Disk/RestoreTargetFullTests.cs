using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using UdcBackup.Agents.Audit;
using UdcBackup.Agents.Disk;
using UdcBackup.Agents.Hosting;
using UdcBackup.Agents.Tokens;
using UdcBackup.Testing;

namespace UdcBackup.Agents.Tests.Disk;

/// <summary>
/// A restore whose target on the disk agent's host lies on a small tmpfs that fills up: the disk
/// agent answers 507 with the problem type <see cref="AgentProblemTypes.RestoreTargetNoSpace"/>
/// and the archive's message naming the full target, in the progress answer's error line and as
/// problem details, audits the restore as failed, keeps the files restored whole and leaves no
/// partial file behind. Once space is freed the same order finishes the rest without fetching the
/// kept files again. Was 502, which the controller retried, each retry filling the disk again.
/// </summary>
public sealed class RestoreTargetFullTests : IAsyncLifetime
{
    private const int Files = 6;
    private const int Size = 1 << 20;

    private LoopbackAgents _agents = null!;
    private Tmpfs _tmpfs = null!;

    private string Target => Path.Combine(_tmpfs.Path, "into");

    private string Restored => Path.Combine(Target, _agents.Data.TrimStart('/'));

    public async Task InitializeAsync()
    {
        Requirements.Root("the restore target lies on a tmpfs mounted for the test");
        _agents = await LoopbackAgents.StartAsync();
        for (var i = 0; i < Files; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(_agents.Data, $"part-{i}.bin"), RandomNumberGenerator.GetBytes(Size));
        }

        // Room for two or three of the six files: the restore fills it midway.
        _tmpfs = new Tmpfs(Path.Combine(_agents.Restore, "small"), "size=3m");
    }

    public async Task DisposeAsync()
    {
        // Unmounted first, so the agents' temp folder is removed without the file system on it.
        _tmpfs.Dispose();
        await _agents.DisposeAsync();
    }

    [Fact]
    public async Task A_restore_target_that_fills_up_is_answered_507_restore_target_no_space_and_the_whole_files_stay()
    {
        var backup = TransferLines.Result(await TransferLines.PostAsync(_agents.Controller, new Uri(_agents.Disk.Address, "/v1/jobs/backup"),
            _agents.Job(_agents.Token("sys-a", JobDirection.Backup)) with { Paths = [_agents.Data] }));
        var order = _agents.Job(_agents.Token("sys-a", JobDirection.Restore, backup.Backup!.Snapshot!.Id)) with { Target = Target };

        var lines = await TransferLines.PostAsync(_agents.Controller, new Uri(_agents.Disk.Address, "/v1/jobs/restore"), order);

        lines[^1].Type.Should().Be(TransferLine.ErrorType);
        var error = lines[^1].Error!;
        error.Status.Should().Be(507, error.Detail);
        error.Type.Should().Be(AgentProblemTypes.RestoreTargetNoSpace, error.Detail);
        error.Title.Should().Be("The restore target has no space left");
        error.Detail.Should().Contain($"No space left in the restore target {Target}").And.Contain("free space there and run the same restore again");
        new AuditLog(_agents.Temp.Combine("disk-audit.jsonl")).ReadAll().Where(e => e.Action == "job.restore").Should().ContainSingle()
            .Which.Should().Match<AuditEntry>(e => e.Decision == AuditDecision.Failed && e.Reason.Contains("No space left in the restore target", StringComparison.Ordinal));
        var kept = WholeFiles();
        kept.Should().NotBeEmpty("the files written before the file system filled up are renamed into place").And.HaveCountLessThan(Files);
        Directory.EnumerateFiles(Target, ".udc-restore-*", SearchOption.AllDirectories).Should().BeEmpty("the file being written when the space ran out is removed");

        // Run again while still full: the kept files are offered and not written again, the next one fills the disk again,
        // and an answer without a progress stream carries the same status and type as problem details.
        using var again = await _agents.Controller.PostAsJsonAsync(new Uri(_agents.Disk.Address, "/v1/jobs/restore"), order, JsonSerializerOptions.Web);
        var body = await again.Content.ReadAsStringAsync();
        again.StatusCode.Should().Be(HttpStatusCode.InsufficientStorage, body);
        using (var problem = JsonDocument.Parse(body))
        {
            problem.RootElement.GetProperty("type").GetString().Should().Be(AgentProblemTypes.RestoreTargetNoSpace);
            problem.RootElement.GetProperty("detail").GetString().Should().Contain($"No space left in the restore target {Target}");
        }

        kept = WholeFiles();

        // Free space (here: a larger file system) and run the same order again: the rest comes, the kept files stay.
        _tmpfs.Remount("size=64m");
        var done = TransferLines.Result(await TransferLines.PostAsync(_agents.Controller, new Uri(_agents.Disk.Address, "/v1/jobs/restore"), order));

        done.Restore!.FilesAlreadyCorrect.Should().Be(kept.Count, "the files restored before the disk filled up are not fetched again");
        done.Restore.FilesRestored.Should().Be(Files - kept.Count);
        TreeAssert.Identical(_agents.Data, Restored);
    }

    // The files in place under the target, each checked against its source: a file with its real name is whole.
    private List<string> WholeFiles()
    {
        var files = Directory.Exists(Restored) ? Directory.EnumerateFiles(Restored, "part-*.bin").ToList() : [];
        foreach (var file in files)
        {
            File.ReadAllBytes(file).Should().Equal(File.ReadAllBytes(Path.Combine(_agents.Data, Path.GetFileName(file))), $"{file} is complete");
        }

        return files;
    }
}

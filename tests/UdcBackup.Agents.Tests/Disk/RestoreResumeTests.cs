using UdcBackup.Agents.Disk;
using UdcBackup.Agents.Tokens;
using UdcBackup.Testing;

namespace UdcBackup.Agents.Tests.Disk;

/// <summary>
/// A restore cut half-way and retried: the disk agent offers what the target already holds (size
/// and SHA-256), the media agent sends those files without content, and only the rest crosses the
/// network (bytes measured by a relay between the agents). A file that differs from the snapshot
/// with the same size is sent again, so the result is identical to the snapshot either way.
/// </summary>
public sealed class RestoreResumeTests : LoopbackWithData
{
    [Fact]
    public async Task A_restore_cut_half_way_receives_only_the_missing_files_when_retried()
    {
        var backup = TransferLines.Result(await TransferLines.PostAsync(Agents.Controller, new Uri(Agents.Disk.Address, "/v1/jobs/backup"),
            Agents.Job(Agents.Token("sys-a", JobDirection.Backup)) with { Paths = [Agents.Data] }));
        var snapshot = backup.Backup!.Snapshot!.Id;
        var target = Path.Combine(Agents.Restore, "resumed");
        await using var relay = new TcpRelay(Agents.Media.Address.Port, holdAfter: Total / 2);
        var order = Agents.Job(Agents.Token("sys-a", JobDirection.Restore, snapshot)) with { MediaAgentUrl = relay.Url.ToString(), Target = target };

        var first = TransferLines.PostAsync(Agents.Controller, new Uri(Agents.Disk.Address, "/v1/jobs/restore"), order);
        var held = await Task.WhenAny(relay.Holding, first, Task.Delay(TimeSpan.FromMinutes(2)));
        held.Should().BeSameAs(relay.Holding, "half of the snapshot went through the relay while the restore still runs");
        await WhenWholeFilesAsync(target, first);
        relay.Cut();
        (await first)[^1].Type.Should().Be(TransferLine.ErrorType, "the cut restore fails");
        var restoredBefore = Directory.EnumerateFiles(target, "part-*.bin", SearchOption.AllDirectories).ToList();
        restoredBefore.Should().NotBeEmpty("whole files were renamed into place before the cut");

        // A target file changed since, with its size kept, must not pass for the snapshot's.
        var tampered = restoredBefore[0];
        var bytes = await File.ReadAllBytesAsync(tampered);
        bytes[Size / 2] ^= 0xFF;
        await File.WriteAllBytesAsync(tampered, bytes);

        relay.Reset();
        var retry = TransferLines.Result(await TransferLines.PostAsync(Agents.Controller, new Uri(Agents.Disk.Address, "/v1/jobs/restore"), order));

        relay.Forwarded.Should().BeLessThan((long)(Total * 0.65), "files the target holds are not sent again (bytes on the wire)");
        retry.Restore!.FilesRestored.Should().Be(Files - (restoredBefore.Count - 1), "held files are kept, the tampered one and the missing ones are written");
        retry.Restore.FilesAlreadyCorrect.Should().Be(restoredBefore.Count - 1, "the held files are reported as already correct");
        retry.Restore.BytesAlreadyCorrect.Should().Be((restoredBefore.Count - 1L) * Size);
        TreeAssert.Identical(Agents.Data, Path.Combine(target, Agents.Data.TrimStart('/')));
        Directory.EnumerateFiles(target, ".udc-restore-*", SearchOption.AllDirectories).Should().BeEmpty("the cut attempt's partial file is removed");
    }

    [Fact]
    public async Task A_restore_onto_a_target_that_already_holds_the_snapshot_reports_every_file_as_already_correct()
    {
        var backup = TransferLines.Result(await TransferLines.PostAsync(Agents.Controller, new Uri(Agents.Disk.Address, "/v1/jobs/backup"),
            Agents.Job(Agents.Token("sys-a", JobDirection.Backup)) with { Paths = [Agents.Data] }));
        var order = Agents.Job(Agents.Token("sys-a", JobDirection.Restore, backup.Backup!.Snapshot!.Id)) with { Target = Path.Combine(Agents.Restore, "twice") };
        var first = TransferLines.Result(await TransferLines.PostAsync(Agents.Controller, new Uri(Agents.Disk.Address, "/v1/jobs/restore"), order));

        var second = TransferLines.Result(await TransferLines.PostAsync(Agents.Controller, new Uri(Agents.Disk.Address, "/v1/jobs/restore"), order));

        first.Restore!.FilesAlreadyCorrect.Should().Be(0);
        second.Restore!.FilesRestored.Should().Be(0);
        second.Restore.BytesWritten.Should().Be(0);
        second.Restore.FilesAlreadyCorrect.Should().Be(Files, "the target held every file of the snapshot");
        second.Restore.BytesAlreadyCorrect.Should().Be(Total);
    }

    /// <summary>
    /// The relay holds once half of the snapshot crossed it, but those bytes may still sit in the
    /// disk agent's socket and stream buffers; on a loaded machine the agent writes them out later.
    /// Cutting at once would measure how far the agent lagged, not what resume saves, so the test
    /// waits until the files that crossed the relay are on disk (all but the last one under way).
    /// </summary>
    private static Task WhenWholeFilesAsync(string target, Task restore)
    {
        const int crossed = Files / 2 - 2;
        return Wait.UntilAsync(
            () => restore.IsCompleted || (Directory.Exists(target) && Directory.EnumerateFiles(target, "part-*.bin", SearchOption.AllDirectories).Count() >= crossed),
            TimeSpan.FromMinutes(2), $"{crossed} whole files of the bytes that crossed the relay");
    }
}

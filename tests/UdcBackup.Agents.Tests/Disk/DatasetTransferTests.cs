using UdcBackup.Agents.Disk;
using UdcBackup.Agents.Tokens;
using UdcBackup.Testing.Data;

namespace UdcBackup.Agents.Tests.Disk;

/// <summary>
/// The shared benchmark dataset at scale 0.25 (about 260 MiB in 5,800 files: incompressible media,
/// logs, many small files, a disk image with zero runs and repeats, duplicates) goes from the disk
/// agent to the media agent as the controller orders it, and comes back byte-exact.
/// </summary>
public sealed class DatasetTransferTests : IAsyncLifetime
{
    private LoopbackAgents _agents = null!;

    public async Task InitializeAsync() => _agents = await LoopbackAgents.StartAsync();

    public async Task DisposeAsync() => await _agents.DisposeAsync();

    [Fact]
    public async Task The_benchmark_dataset_goes_through_the_agents_and_restores_byte_exact()
    {
        var set = Path.Combine(_agents.Data, "set");
        await BenchDataset.GenerateAsync(set, 0.25);
        var files = Directory.EnumerateFiles(set, "*", SearchOption.AllDirectories).ToList();
        var bytes = files.Sum(f => new FileInfo(f).Length);

        var backup = TransferLines.Result(await TransferLines.PostAsync(_agents.Controller, new Uri(_agents.Disk.Address, "/v1/jobs/backup"),
            _agents.Job(_agents.Token("sys-a", JobDirection.Backup)) with { Paths = [set] }));
        backup.Backup!.Progress.Should().BeEquivalentTo(new TransferCounters { Bytes = bytes, Files = files.Count, SentBytes = bytes });
        backup.Backup.Warnings.Should().BeEmpty();

        var target = Path.Combine(_agents.Restore, "set");
        var restore = TransferLines.Result(await TransferLines.PostAsync(_agents.Controller, new Uri(_agents.Disk.Address, "/v1/jobs/restore"),
            _agents.Job(_agents.Token("sys-a", JobDirection.Restore, backup.Backup.Snapshot!.Id)) with { Target = target }));
        restore.Restore!.FilesRestored.Should().Be(files.Count);
        TreeAssert.Identical(set, Path.Combine(target, set.TrimStart('/')));
    }
}

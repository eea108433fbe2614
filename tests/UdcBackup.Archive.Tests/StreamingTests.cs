using System.IO.Pipes;
using UdcBackup.Archive.Backup;
using UdcBackup.Archive.Restore;
using UdcBackup.Archive.Streaming;

namespace UdcBackup.Archive.Tests;

/// <summary>A backup can arrive as a framed entry stream (another host's disk agent) and a restore can leave as one.</summary>
public sealed class StreamingTests : IDisposable
{
    private readonly TestRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task A_folder_streamed_over_a_pipe_is_backed_up_and_streamed_back_identically()
    {
        var s = _repo.Source;
        SourceTree.WriteFile(Path.Join(s, "a.txt"), SourceTree.Text(300_000, 1));
        SourceTree.WriteFile(Path.Join(s, "sub", "b.bin"), SourceTree.Random(2_500_000, 2));
        SourceTree.WriteFile(Path.Join(s, "empty"), []);
        File.CreateSymbolicLink(Path.Join(s, "link"), "a.txt");
        Native.LinuxFileSystem.Link(Path.Join(s, "a.txt"), Path.Join(s, "sub", "hard"));
        SourceTree.WriteSparse(Path.Join(s, "sparse"), 20L << 20, (1L << 20, SourceTree.Random(5000, 3)));
        SourceTree.SetXattr(Path.Join(s, "sub"), "user.k", "v");

        // Disk agent side writes into one end of a pipe, media agent side reads the other end.
        Snapshots.Snapshot snapshot;
        using (var server = new AnonymousPipeServerStream(PipeDirection.In))
        using (var client = new AnonymousPipeClientStream(PipeDirection.Out, server.ClientSafePipeHandle))
        {
            var warnings = new List<string>();
            var send = Task.Run(async () =>
            {
                await EntryStreamWriter.WriteAllAsync(FileSystemSource.ReadAsync([s], warnings), client, CancellationToken.None);
                client.Close();
            });
            using var repository = _repo.Open();
            snapshot = await StreamBackup.RunAsync(repository, new BackupOptions { Paths = [s], Host = "disk-agent-7" }, server, CancellationToken.None);
            await send;
            warnings.Should().BeEmpty();
        }

        snapshot.Host.Should().Be("disk-agent-7");
        var target = await StreamBackAsync(snapshot);

        TreeComparer.AssertIdentical(s, _repo.RestoredSource(target));
        var (direct, _) = await _repo.RestoreAsync(snapshot);
        TreeComparer.AssertIdentical(s, _repo.RestoredSource(direct));
    }

    [Fact]
    public async Task An_all_hole_sparse_file_backed_up_locally_is_streamed_back_with_its_size()
    {
        SourceTree.WriteSparse(Path.Join(_repo.Source, "all-hole"), 8L << 20);
        SourceTree.WriteFile(Path.Join(_repo.Source, "after"), SourceTree.Text(1000, 1));
        var snapshot = await _repo.BackupAsync();

        var target = await StreamBackAsync(snapshot);

        TreeComparer.AssertIdentical(_repo.Source, _repo.RestoredSource(target));
    }

    /// <summary>Restores <paramref name="snapshot"/> the way a disk agent receives it: as an entry stream.</summary>
    private async Task<string> StreamBackAsync(Snapshots.Snapshot snapshot)
    {
        var target = Path.Join(_repo.Root, "streamed-restore");
        using var repository = _repo.Open();
        using var buffer = new MemoryStream();
        await EntryStreamWriter.WriteAllAsync(SnapshotSource.ReadAsync(repository, snapshot, []), buffer, CancellationToken.None);
        buffer.Position = 0;
        await StreamRestore.WriteAsync(new EntryStreamReader(buffer).ReadAllAsync(), new RestoreOptions { Target = target }, CancellationToken.None);
        return target;
    }

    [Fact]
    public async Task Content_damaged_in_transit_is_refused_and_nothing_is_committed()
    {
        SourceTree.WriteFile(Path.Join(_repo.Source, "a.bin"), SourceTree.Random(100_000, 1));
        using var wire = new MemoryStream();
        await EntryStreamWriter.WriteAllAsync(FileSystemSource.ReadAsync([_repo.Source], []), wire, CancellationToken.None);
        var bytes = wire.ToArray();
        bytes[bytes.Length - 200] ^= 0x10; // inside the file's data frame

        using var repository = _repo.Open();
        var act = () => StreamBackup.RunAsync(repository, new BackupOptions { Paths = ["remote"] }, new MemoryStream(bytes), CancellationToken.None);

        await act.Should().ThrowAsync<InvalidDataException>().WithMessage("*SHA-256*");
        repository.ListSnapshots().Should().BeEmpty();
    }
}

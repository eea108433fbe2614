using System.Net.Sockets;
using UdcBackup.Archive.Native;
using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Archive.Tests;

/// <summary>FIFOs and device nodes come back as they were; sockets are recorded, not recreated, with a note.</summary>
public sealed class SpecialFileTests : IDisposable
{
    private readonly TestRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task Fifos_and_device_nodes_are_recreated_and_sockets_are_recorded_with_a_warning()
    {
        SourceTree.IsRoot.Should().BeTrue("creating device nodes needs root; CI runs this project as root");
        var s = _repo.Source;
        LinuxFileSystem.MakeFifo(Path.Join(s, "pipe"), 0x180); // 0600
        LinuxFileSystem.MakeDevice(Path.Join(s, "null-like"), block: false, 0x1B0, 1, 3); // 0660 c 1:3
        LinuxFileSystem.MakeDevice(Path.Join(s, "loop-like"), block: true, 0x180, 7, 300); // 0600 b 7:300 (minor above 255)
        LinuxFileSystem.MakeDevice(Path.Join(s, "big-numbers"), block: false, 0x1A4, 4095, 1_048_575);
        Snapshot snapshot;
        using (var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            // Bound (not closed) during the backup: the runtime removes the socket file on close.
            socket.Bind(new UnixDomainSocketEndPoint(Path.Join(s, "app.sock")));
            snapshot = await _repo.BackupAsync();
        }

        var (target, result) = await _repo.RestoreAsync(snapshot);

        using (var repository = _repo.Open())
        {
            SnapshotReader.ReadEntries(repository, snapshot).Should().Contain(e => e.Path.EndsWith("/app.sock", StringComparison.Ordinal) && e.Type == EntryType.Socket);
        }

        var restored = _repo.RestoredSource(target);
        foreach (var name in new[] { "pipe", "null-like", "loop-like", "big-numbers" })
        {
            var before = LinuxFileSystem.Stat(Path.Join(s, name));
            var after = LinuxFileSystem.Stat(Path.Join(restored, name));
            after.Mode.Should().Be(before.Mode, name);
            (after.RdevMajor, after.RdevMinor).Should().Be((before.RdevMajor, before.RdevMinor), name);
            after.ModifiedNs.Should().Be(before.ModifiedNs, name);
        }

        Path.Exists(Path.Join(restored, "app.sock")).Should().BeFalse("a socket is made by the program that listens on it");
        result.Warnings.Should().ContainSingle(w => w.Contains("app.sock", StringComparison.Ordinal) && w.Contains("socket", StringComparison.Ordinal) && w.Contains("not recreated", StringComparison.Ordinal));
        result.Warnings.Should().HaveCount(1);
    }
}

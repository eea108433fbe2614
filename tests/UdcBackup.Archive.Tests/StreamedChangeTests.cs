using System.Runtime.CompilerServices;
using UdcBackup.Archive.Backup;
using UdcBackup.Archive.Snapshots;
using UdcBackup.Archive.Streaming;

namespace UdcBackup.Archive.Tests;

/// <summary>
/// A file that changes while <see cref="FileSystemSource"/> reads it is told to the receiver in a
/// version 2 entry stream (entry-end frame) and stored marked, so the next backup re-reads it;
/// unchanged files (sparse ones included) are not flagged, and version 1 stays the old format.
/// The change is made by a hook on the content stream after its first read, not by a racing writer.
/// </summary>
public sealed class StreamedChangeTests : IDisposable
{
    private static readonly long LongAgoNs = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1_000_000;

    private readonly TestRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task A_file_rewritten_while_it_is_streamed_is_stored_as_read_marked_warned_and_read_again_next_time()
    {
        var changing = Path.Join(_repo.Source, "db.bin");
        var before = SourceTree.Random(3 << 20, 1);
        var after = SourceTree.Random(3 << 20, 2);

        // An old mtime, so the rewrite's mtime differs even within one tick of the file system's clock.
        SourceTree.WriteFile(changing, before, LongAgoNs);
        SourceTree.WriteFile(Path.Join(_repo.Source, "quiet.txt"), SourceTree.Text(50_000, 3));
        var warnings = new List<string>();
        var wire = await WriteAsync(Rewriting(FileSystemSource.ReadAsync([_repo.Source], warnings), "db.bin", () => Overwrite(changing, after)), version: 2);

        using var repository = _repo.Open();
        var snapshot = await StreamBackup.RunAsync(repository, new BackupOptions { Paths = [_repo.Source] }, new MemoryStream(wire), CancellationToken.None);

        warnings.Should().ContainSingle().Which.Should().Contain("db.bin").And.Contain("changed while it was read");
        snapshot.Summary.Warnings.Should().ContainSingle().Which.Should().Contain("db.bin").And.Contain("changed while it was read");
        var entries = SnapshotReader.ReadEntries(repository, snapshot).ToDictionary(e => Path.GetFileName(e.Path));
        entries["db.bin"].ChangedDuringBackup.Should().BeTrue();
        entries["db.bin"].ModifiedNs.Should().Be(LongAgoNs, "the stat from before the read is kept");
        entries["quiet.txt"].ChangedDuringBackup.Should().BeFalse();

        // Even a sender whose fresh stat equals the stored one (a change within one clock tick)
        // gets the file read again: the mark, not the stat, decides.
        var parent = snapshot.Id.ToString();
        var again = await StreamBackup.RunAsync(repository, new BackupOptions { Paths = [_repo.Source], Parent = parent }, Resend(entries.Values), CancellationToken.None);
        again.Summary.FilesRead.Should().Be(1, "db.bin is read again, quiet.txt is taken from the parent");
        SnapshotReader.ReadEntries(repository, again).Should().OnlyContain(e => !e.ChangedDuringBackup);
        var (target, _) = await _repo.RestoreAsync(again);
        File.ReadAllBytes(Path.Join(_repo.RestoredSource(target), "db.bin")).Should().Equal(after);
    }

    [Fact]
    public async Task Unchanged_files_sparse_ones_included_are_not_flagged()
    {
        var s = _repo.Source;
        SourceTree.WriteFile(Path.Join(s, "a.txt"), SourceTree.Text(300_000, 1));
        SourceTree.WriteFile(Path.Join(s, "empty"), []);
        SourceTree.WriteSparse(Path.Join(s, "sparse"), 20L << 20, (1L << 20, SourceTree.Random(5000, 3)), (9L << 20, SourceTree.Random(70_000, 4)));
        SourceTree.WriteSparse(Path.Join(s, "all-hole"), 8L << 20);
        Native.LinuxFileSystem.Link(Path.Join(s, "a.txt"), Path.Join(s, "hard"));
        Native.LinuxFileSystem.Stat(Path.Join(s, "sparse")).MayBeSparse.Should().BeTrue("the test needs a file the source sends as extents");

        var warnings = new List<string>();
        var wire = await WriteAsync(FileSystemSource.ReadAsync([s], warnings), version: 2);
        using var repository = _repo.Open();
        var snapshot = await StreamBackup.RunAsync(repository, new BackupOptions { Paths = [s] }, new MemoryStream(wire), CancellationToken.None);

        warnings.Should().BeEmpty();
        snapshot.Summary.Warnings.Should().BeEmpty();
        SnapshotReader.ReadEntries(repository, snapshot).Should().OnlyContain(e => !e.ChangedDuringBackup);
        var (target, _) = await _repo.RestoreAsync(snapshot);
        TreeComparer.AssertIdentical(s, _repo.RestoredSource(target));
    }

    [Fact]
    public async Task A_sparse_file_that_shrinks_while_streamed_keeps_the_stream_whole_and_is_marked()
    {
        var path = Path.Join(_repo.Source, "vm.img");
        SourceTree.WriteSparse(path, 64L << 20, (0, SourceTree.Random(1 << 20, 1)), (32L << 20, SourceTree.Random(1 << 20, 2)));
        var warnings = new List<string>();
        var wire = await WriteAsync(Rewriting(FileSystemSource.ReadAsync([_repo.Source], warnings), "vm.img", () => Truncate(path, 4L << 20)), version: 2);
        using var repository = _repo.Open();
        var snapshot = await StreamBackup.RunAsync(repository, new BackupOptions { Paths = [_repo.Source] }, new MemoryStream(wire), CancellationToken.None);

        warnings.Should().ContainSingle().Which.Should().Contain("vm.img").And.Contain("zero bytes where it had shrunk");
        var entry = SnapshotReader.ReadEntries(repository, snapshot).Single(e => e.Path.EndsWith("vm.img", StringComparison.Ordinal));
        entry.ChangedDuringBackup.Should().BeTrue();
        entry.Size.Should().Be(64L << 20, "the size from before the read is kept");
    }

    [Fact]
    public async Task Version_1_is_the_old_format_and_its_reader_cannot_tell_a_change()
    {
        var changing = Path.Join(_repo.Source, "db.bin");
        SourceTree.WriteFile(changing, SourceTree.Random(3 << 20, 1), LongAgoNs);
        var warnings = new List<string>();
        var wire = await WriteAsync(Rewriting(FileSystemSource.ReadAsync([_repo.Source], warnings), "db.bin", () => Overwrite(changing, SourceTree.Random(3 << 20, 2))), version: 1);

        wire[4].Should().Be(1, "the version byte");
        FrameKinds(wire).Should().OnlyContain(k => k >= 1 && k <= 4, "an older reader knows kinds 1-4 only");
        warnings.Should().ContainSingle().Which.Should().Contain("changed while it was read", "the sender still names the file");

        var entries = new List<StreamedEntry>();
        await foreach (var entry in new EntryStreamReader(new MemoryStream(wire)).ReadAllAsync())
        {
            entries.Add(entry);
            entry.ChangedWhileRead.Should().BeNull("a version 1 stream does not say");
        }

        using var repository = _repo.Open();
        var snapshot = await StreamBackup.RunAsync(repository, new BackupOptions { Paths = [_repo.Source] }, new MemoryStream(wire), CancellationToken.None);
        snapshot.Summary.Warnings.Should().BeEmpty();
    }

    [Fact]
    public async Task A_version_2_stream_without_its_entry_end_frame_is_refused()
    {
        SourceTree.WriteFile(Path.Join(_repo.Source, "a.bin"), SourceTree.Random(10_000, 1));
        var wire = await WriteAsync(FileSystemSource.ReadAsync([_repo.Source], []), version: 1);
        wire[4] = 2; // claims version 2 but has no entry-end frames

        using var repository = _repo.Open();
        var act = () => StreamBackup.RunAsync(repository, new BackupOptions { Paths = ["remote"] }, new MemoryStream(wire), CancellationToken.None);

        await act.Should().ThrowAsync<InvalidDataException>().WithMessage("*entry-end frame*");
        repository.ListSnapshots().Should().BeEmpty();
    }

    private static async Task<byte[]> WriteAsync(IAsyncEnumerable<StreamedEntry> entries, int version)
    {
        using var wire = new MemoryStream();
        await EntryStreamWriter.WriteAllAsync(entries, wire, version, CancellationToken.None);
        return wire.ToArray();
    }

    /// <summary>The source's entries, with <paramref name="change"/> run once after the first read of the named file's content.</summary>
    private static async IAsyncEnumerable<StreamedEntry> Rewriting(IAsyncEnumerable<StreamedEntry> source, string name, Action change, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var entry in source.WithCancellation(ct))
        {
            yield return entry.Content is not null && Path.GetFileName(entry.Header.Path) == name
                ? entry with { Content = new AfterFirstRead(entry.Content, change) }
                : entry;
        }
    }

    /// <summary>Entries with the given (stored) headers and the files' current content, as a sender whose stat did not move would send them.</summary>
    private async IAsyncEnumerable<StreamedEntry> Resend(IEnumerable<ArchiveEntry> stored)
    {
        foreach (var header in stored.OrderBy(e => e.Path, StringComparer.Ordinal))
        {
            if (header.Type != EntryType.File)
            {
                yield return new StreamedEntry(header with { Content = [], ChangedDuringBackup = false }, null, null);
                continue;
            }

            await using var content = File.OpenRead(Path.Join("/", header.Path));
            yield return new StreamedEntry(header with { Content = [], ChangedDuringBackup = false }, null, content);
        }
    }

    private static void Overwrite(string path, byte[] content)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write);
        RandomAccess.Write(handle, content, 0);
    }

    private static void Truncate(string path, long size)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write);
        RandomAccess.SetLength(handle, size);
    }

    /// <summary>The kinds of the frames of a wire image, in order.</summary>
    private static List<byte> FrameKinds(byte[] wire)
    {
        var kinds = new List<byte>();
        var position = 5;
        while (position < wire.Length)
        {
            kinds.Add(wire[position++]);
            long length = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = wire[position++];
                length |= (long)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    break;
                }
            }

            position += (int)length;
        }

        return kinds;
    }

    private sealed class AfterFirstRead(Stream inner, Action change) : Stream
    {
        private bool _changed;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            if (read > 0 && !_changed)
            {
                _changed = true;
                change();
            }

            return read;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

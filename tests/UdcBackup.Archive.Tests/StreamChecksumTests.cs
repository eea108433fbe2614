using System.Buffers.Binary;
using UdcBackup.Archive.Backup;
using UdcBackup.Archive.Streaming;

namespace UdcBackup.Archive.Tests;

/// <summary>
/// Entry stream version 3: each file's end-of-content frame carries the standard CRC-32C of its
/// content (4 bytes, little-endian) instead of a SHA-256. The value is checked against a bitwise
/// reference written here (independent of the writer's three-lane hardware computation), a
/// version 3 stream backs up and restores byte-exact, and a changed content byte or an end frame
/// of the wrong size is refused before anything is committed.
/// </summary>
public sealed class StreamChecksumTests : IDisposable
{
    private readonly TestRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task Version_3_carries_the_standard_CRC_32C_of_each_file_and_restores_byte_exact()
    {
        // Sizes around the writer's 3 x 4 KiB lane block and its 1 MiB data frames.
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["check.txt"] = "123456789"u8.ToArray(),
            ["empty"] = [],
            ["block-1.bin"] = SourceTree.Random((3 * 4096) - 1, 1),
            ["block.bin"] = SourceTree.Random(3 * 4096, 2),
            ["lanes.bin"] = SourceTree.Random((3 * 4096 * 7) + 13, 3),
            ["frames.bin"] = SourceTree.Random((5 << 19) + 5, 4),
        };
        foreach (var (name, content) in files)
        {
            SourceTree.WriteFile(Path.Join(_repo.Source, name), content);
        }

        var wire = await WriteAsync(version: 3);

        wire[4].Should().Be(3, "the version byte");
        var ends = EndOfContentValues(wire);
        ends.Should().HaveCount(files.Count);
        ends.Should().OnlyContain(v => v.Length == 4, "version 3 sends 4 check bytes, not 32");
        var sent = ends.Select(v => BinaryPrimitives.ReadUInt32LittleEndian(v)).ToHashSet();
        sent.Should().Contain(0xE3069283u, "the published CRC-32C check value of \"123456789\"");
        sent.Should().BeEquivalentTo(files.Values.Select(ReferenceCrc32C));

        using var repository = _repo.Open();
        var snapshot = await StreamBackup.RunAsync(repository, new BackupOptions { Paths = [_repo.Source] }, new MemoryStream(wire), CancellationToken.None);
        var (target, _) = await _repo.RestoreAsync(snapshot);
        foreach (var (name, content) in files)
        {
            File.ReadAllBytes(Path.Join(_repo.RestoredSource(target), name)).Should().Equal(content, name);
        }
    }

    [Fact]
    public async Task A_content_byte_changed_in_a_version_3_stream_is_refused_and_nothing_is_committed()
    {
        SourceTree.WriteFile(Path.Join(_repo.Source, "a.bin"), SourceTree.Random(100_000, 5));
        var wire = await WriteAsync(version: 3);
        var data = FirstDataPayloadOffset(wire);
        wire[data + 50_000] ^= 0x10; // the framing still parses; only the content differs

        using var repository = _repo.Open();
        var act = () => StreamBackup.RunAsync(repository, new BackupOptions { Paths = ["remote"] }, new MemoryStream(wire), CancellationToken.None);

        await act.Should().ThrowAsync<InvalidDataException>().WithMessage("*does not match its CRC-32C*");
        repository.ListSnapshots().Should().BeEmpty();
    }

    [Fact]
    public async Task A_version_3_stream_whose_end_frames_carry_SHA_256_is_refused()
    {
        SourceTree.WriteFile(Path.Join(_repo.Source, "a.bin"), SourceTree.Random(10_000, 6));
        var wire = await WriteAsync(version: 2);
        wire[4] = 3; // a version 2 body, 32-byte check values, labelled version 3

        using var repository = _repo.Open();
        var act = () => StreamBackup.RunAsync(repository, new BackupOptions { Paths = ["remote"] }, new MemoryStream(wire), CancellationToken.None);

        await act.Should().ThrowAsync<InvalidDataException>().WithMessage("*has no CRC-32C*");
        repository.ListSnapshots().Should().BeEmpty();
    }

    [Fact]
    public async Task A_stream_of_an_unknown_later_version_is_refused()
    {
        SourceTree.WriteFile(Path.Join(_repo.Source, "a.bin"), SourceTree.Random(1_000, 7));
        var wire = await WriteAsync(version: 3);
        wire[4] = 4;

        var act = async () =>
        {
            await foreach (var entry in new EntryStreamReader(new MemoryStream(wire)).ReadAllAsync())
            {
                entry.Header.Path.Should().NotBeEmpty();
            }
        };

        await act.Should().ThrowAsync<InvalidDataException>().WithMessage("*version*");
    }

    private async Task<byte[]> WriteAsync(int version)
    {
        using var wire = new MemoryStream();
        await EntryStreamWriter.WriteAllAsync(FileSystemSource.ReadAsync([_repo.Source], []), wire, version, CancellationToken.None);
        return wire.ToArray();
    }

    /// <summary>CRC-32C bit by bit (reflected polynomial 0x82F63B78, initial value and final XOR all ones).</summary>
    private static uint ReferenceCrc32C(byte[] data)
    {
        var crc = uint.MaxValue;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78 : crc >> 1;
            }
        }

        return ~crc;
    }

    /// <summary>The check bytes of every end-of-content frame (after the varint length).</summary>
    private static List<byte[]> EndOfContentValues(byte[] wire) =>
        Frames(wire).Where(f => f.Kind == 3).Select(f =>
        {
            var payload = wire.AsSpan(f.Offset, f.Length);
            var varint = 0;
            while (payload[varint] >= 0x80)
            {
                varint++;
            }

            return payload[(varint + 1)..].ToArray();
        }).ToList();

    private static int FirstDataPayloadOffset(byte[] wire) => Frames(wire).First(f => f.Kind == 2).Offset;

    /// <summary>Kind, payload offset and payload length of every frame of a wire image.</summary>
    private static List<(byte Kind, int Offset, int Length)> Frames(byte[] wire)
    {
        var frames = new List<(byte, int, int)>();
        var position = 5;
        while (position < wire.Length)
        {
            var kind = wire[position++];
            var length = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = wire[position++];
                length |= (b & 0x7F) << shift;
                if (b < 0x80)
                {
                    break;
                }
            }

            frames.Add((kind, position, length));
            position += length;
        }

        return frames;
    }
}

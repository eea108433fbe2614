using System.Text;

namespace UdcBackup.Agents.Bench;

/// <summary>
/// The file tree the bench backs up through the agents before the timed backup, so the timed run
/// meets a service in its steady state: the dataset's mix at about a tenth of its file count
/// (small text and binary files in nested folders, compressible logs, incompressible media, an
/// image with repeated blocks, a duplicate file, an empty file and folder, a symbolic link; about
/// 2,500 files and 120 MiB), so
/// every per-file path (folders, small files, entry and header frames, journal appends, tree
/// building) runs a few thousand times and the per-MiB paths (TLS writes, socket and pipe completions)
/// some hundred times, and both are tiered up before timing.
/// The contents come from a seeded <see cref="Random"/> (the same tree every time, nothing in common
/// with the dataset's Python generator: no chunk deduplicates against the dataset, so the timed
/// run's work is unchanged); there are no zero runs for that reason. Written into a temporary
/// folder and moved into place, so an interrupted write is redone rather than used.
/// </summary>
internal static class WarmUpTree
{
    private const int Seed = 4_0419;
    private const int SmallFiles = 2_400;
    private const int Logs = 120;
    private const int MediaFiles = 8;
    private static readonly string[] Words = ["backup", "restore", "port", "quiesce", "tier", "agent", "media", "cell", "manager", "snapshot", "ERROR", "INFO", "WARN", "db", "web", "app", "vm", "idle"];

    /// <summary>What the tree holds, for the bench's output.</summary>
    internal sealed record Summary(int Files, int Folders, int Symlinks, long Bytes);

    /// <summary>Writes the tree into <paramref name="folder"/> unless it is there, and counts it.</summary>
    public static Summary Ensure(string folder)
    {
        WriteOnce(folder, Write);
        var entries = new DirectoryInfo(folder).EnumerateFileSystemInfos("*", SearchOption.AllDirectories).ToList();
        var links = entries.Count(e => e.LinkTarget is not null);
        var files = entries.OfType<FileInfo>().Where(f => f.LinkTarget is null).ToList();
        return new Summary(files.Count, entries.OfType<DirectoryInfo>().Count(), links, files.Sum(f => f.Length));
    }

    /// <summary>
    /// The earlier warm-up, kept for comparisons (<c>--warm-up random</c>): 64 files of 256 KiB and
    /// 4 of 4 MiB of random bytes in one folder, which runs the bulk data path but hardly the per-file ones.
    /// </summary>
    public static Summary EnsureRandom(string folder)
    {
        WriteOnce(folder, root =>
        {
            Directory.CreateDirectory(root);
            for (var i = 0; i < 68; i++)
            {
                System.IO.File.WriteAllBytes(Path.Combine(root, $"warm-{i:D2}.bin"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(i < 64 ? 256 * 1024 : 4 << 20));
            }
        });
        return new Summary(68, 0, 0, 32L << 20);
    }

    private static void WriteOnce(string folder, Action<string> write)
    {
        if (Directory.Exists(folder))
        {
            return;
        }

        var temporary = folder + ".tmp";
        if (Directory.Exists(temporary))
        {
            Directory.Delete(temporary, recursive: true); // an interrupted earlier write
        }

        write(temporary);
        Directory.Move(temporary, folder);
    }

    private static void Write(string root)
    {
        var rng = new Random(Seed);
        const int MiB = 1 << 20;

        // Small files, 1-8 KiB, half text and half binary, 40 folders of 6 sub-folders (the dataset: 20,000 in 50 x 400).
        for (var i = 0; i < SmallFiles; i++)
        {
            var size = rng.Next(1024, 8193);
            File(root, $"small/{i % 40:D2}/{i / 40 % 6:D1}/f-{i:D5}.dat", i % 2 == 1 ? Text(rng, size) : Bytes(rng, size));
        }

        // Compressible logs of 100 KiB (the dataset: 3,000).
        for (var i = 0; i < Logs; i++)
        {
            File(root, $"logs/d{i / 40:D2}/app-{i:D5}.log", Text(rng, 100 * 1024));
        }

        // Incompressible media (the dataset: 20 x 10 MiB). Their bytes matter as much as the file count: the
        // transport's per-write paths (TLS records, pipe and socket completions, an entry frame writer that
        // goes asynchronous under back-pressure) run per MiB, and 35 MiB left hundreds of them to be tiered up
        // during the timed backup.
        for (var i = 0; i < MediaFiles; i++)
        {
            File(root, $"media/clip-{i:D3}.bin", Bytes(rng, 10 * MiB));
        }

        // An image whose 1 MiB blocks repeat (deduplicated within the tree), without the dataset's zero runs.
        var blocks = Enumerable.Range(0, 3).Select(_ => Bytes(rng, MiB)).ToArray();
        Directory.CreateDirectory(Path.Combine(root, "vm"));
        using (var image = System.IO.File.Create(Path.Combine(root, "vm", "disk0.img")))
        {
            for (var b = 0; b < 8; b++)
            {
                image.Write(blocks[rng.Next(blocks.Length)]);
            }
        }

        // A whole-file duplicate, an empty file, an empty folder and a relative symbolic link.
        System.IO.File.Copy(Path.Combine(root, "media", "clip-001.bin"), Path.Combine(root, "media", "clip-001-copy.bin"));
        File(root, "small/empty.dat", []);
        Directory.CreateDirectory(Path.Combine(root, "empty", "nested"));
        System.IO.File.CreateSymbolicLink(Path.Combine(root, "logs", "current.log"), "d00/app-00000.log");
    }

    private static void File(string root, string relative, byte[] data)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllBytes(path, data);
    }

    private static byte[] Bytes(Random rng, int size)
    {
        var data = new byte[size];
        rng.NextBytes(data);
        return data;
    }

    // Log lines like the dataset's (timestamp, words, a random id), so zstd finds the same kind of redundancy.
    private static byte[] Text(Random rng, int size)
    {
        var text = new StringBuilder(size + 128);
        while (text.Length < size)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"2026-{rng.Next(1, 13):D2}-{rng.Next(1, 29):D2}T{rng.Next(24):D2}:{rng.Next(60):D2}:{rng.Next(60):D2}Z ");
            var count = rng.Next(4, 15);
            for (var w = 0; w < count; w++)
            {
                text.Append(Words[rng.Next(Words.Length)]).Append(w + 1 < count ? " " : string.Empty);
            }

            text.Append(System.Globalization.CultureInfo.InvariantCulture, $" id={rng.Next():x8}\n");
        }

        return Encoding.ASCII.GetBytes(text.ToString(0, size));
    }
}

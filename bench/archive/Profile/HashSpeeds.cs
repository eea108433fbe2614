using System.Diagnostics;
using System.Security.Cryptography;
using UdcBackup.Archive.Format;

/// <summary>
/// The speed of the two blob-id hashes over the input sizes a backup hashes (small files, 100 KiB
/// logs, chunks of 128 KiB - 2 MiB), in GB/s of input on one thread: SHA-256 (formats 1 and 2, the
/// SHA extensions where the CPU has them) and BLAKE3 (format 3) at each lane width the machine runs.
/// Each cell is the best of three half-second rounds over the same random buffer.
/// </summary>
internal static class HashSpeeds
{
    private static readonly int[] Sizes = [1500, 4500, 8 * 1024, 100 * 1024, 512 * 1024, 2 * 1024 * 1024];

    public static void Print()
    {
        var widths = Blake3.LaneWidths;
        Console.WriteLine($"| input bytes | SHA-256 GB/s | {string.Join(" | ", widths.Select(w => $"BLAKE3 {w} lane{(w == 1 ? "" : "s")} GB/s"))} |");
        Console.WriteLine($"|---:|---:|{string.Concat(widths.Select(_ => "---:|"))}");
        var digest = new byte[32];
        foreach (var size in Sizes)
        {
            var input = RandomNumberGenerator.GetBytes(size);
            var sha = Best(size, () => SHA256.HashData(input, digest));
            var blake = widths.Select(lanes => Best(size, () => Blake3.Hash(input, digest, lanes)));
            Console.WriteLine($"| {size} | {sha:0.00} | {string.Join(" | ", blake.Select(b => b.ToString("0.00")))} |");
        }
    }

    private static double Best(int size, Action hash)
    {
        var best = 0.0;
        for (var round = 0; round < 3; round++)
        {
            var clock = Stopwatch.StartNew();
            long bytes = 0;
            while (clock.ElapsedMilliseconds < 500)
            {
                hash();
                bytes += size;
            }

            best = Math.Max(best, bytes / clock.Elapsed.TotalSeconds / 1e9);
        }

        return best;
    }
}

using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using UdcBackup.Archive.Snapshots;
using UdcBackup.Archive.Streaming;

namespace UdcBackup.Agents.Media;

/// <summary>
/// The media agent's side of a resumed restore. A snapshot file the disk agent offered as held
/// (same path and size) is decoded once while its SHA-256 is computed and its content is spooled
/// to a temporary file that deletes itself: when the hash equals the offer the entry goes out as a
/// header with empty content (the disk agent keeps its copy), otherwise the spooled content is
/// sent. So the repository is read once per file and only differing content crosses the network.
/// Sparse files and empty files are always sent (their holes are not part of the offer's hash).
/// Failure behaviour: a damaged chunk fails the content stream as in a plain restore.
/// </summary>
internal static class HeldRestoreFilter
{
    public static async IAsyncEnumerable<StreamedEntry> ApplyAsync(IAsyncEnumerable<StreamedEntry> entries, IReadOnlyList<RestoreHeldFile> held, [EnumeratorCancellation] CancellationToken ct)
    {
        var offers = new Dictionary<string, RestoreHeldFile>(StringComparer.Ordinal);
        foreach (var offer in held)
        {
            offers[offer.Path] = offer;
        }

        await foreach (var entry in entries.WithCancellation(ct))
        {
            var header = entry.Header;
            if (entry.Content is null || header.Type != EntryType.File || header.Size == 0 || entry.Extents is not null
                || !offers.TryGetValue(header.Path, out var offer) || offer.Size != header.Size)
            {
                yield return entry;
                continue;
            }

            await using var spool = new FileStream(Path.Combine(Path.GetTempPath(), $"udc-restore-{Guid.NewGuid():N}.spool"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await entry.Content.ReadAsync(buffer, ct)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await spool.WriteAsync(buffer.AsMemory(0, read), ct);
            }

            if (string.Equals(Convert.ToHexStringLower(hash.GetHashAndReset()), offer.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                yield return entry with { Content = Stream.Null, Extents = null };
                continue;
            }

            spool.Position = 0;
            yield return entry with { Content = spool };
        }
    }
}

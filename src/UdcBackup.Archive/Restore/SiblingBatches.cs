using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Archive.Restore;

/// <summary>
/// Cuts a restore's entries into batches of siblings (entries with the same parent folder), in
/// the order the parents first appear, so that parallel workers, each taking one batch at a time,
/// create in different folders. Creating a name (<c>mkdir</c>, <c>open</c> with O_CREAT,
/// <c>rename</c>) holds the parent folder's lock for the whole call, inode allocation included;
/// right after a mass delete on ext4 without a journal that allocation walks past every recently
/// freed inode, and other creators in the same folder wait on the lock, spinning while the holder
/// runs. A batch ends after <c>maxEntries</c> entries or once it holds <c>maxBytes</c> of file
/// content, so one large folder still spreads over several workers. Pure function: no I/O.
/// </summary>
public static class SiblingBatches
{
    public static List<List<ArchiveEntry>> Of(IEnumerable<ArchiveEntry> entries, int maxEntries, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        var batches = new List<List<ArchiveEntry>>();
        var open = new Dictionary<string, (List<ArchiveEntry> Batch, long Bytes)>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var parent = ParentOf(entry.Path);
            if (!open.TryGetValue(parent, out var current) || current.Batch.Count >= maxEntries || current.Bytes >= maxBytes)
            {
                current = ([], 0);
                batches.Add(current.Batch);
            }

            current.Batch.Add(entry);
            open[parent] = (current.Batch, current.Bytes + (entry.Type == EntryType.File ? entry.Size : 0));
        }

        return batches;
    }

    private static string ParentOf(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? "" : path[..slash];
    }
}

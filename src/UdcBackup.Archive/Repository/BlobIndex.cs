using System.Collections.Concurrent;
using UdcBackup.Archive.Format;

namespace UdcBackup.Archive.Repository;

/// <summary>
/// The in-memory union of all index files (plus packs adopted from crashed writers): blob id to
/// location, and pack id to its blobs. When several packs hold the same blob (concurrent writers,
/// an interrupted prune) the first one added wins; the duplicates are harmless and prune drops them.
/// Thread-safe for concurrent lookups and additions.
/// </summary>
public sealed class BlobIndex
{
    private readonly ConcurrentDictionary<BlobId, BlobLocation> _blobs = new();
    private readonly ConcurrentDictionary<BlobId, IReadOnlyList<PackedBlob>> _packs = new();

    public int BlobCount => _blobs.Count;

    public int PackCount => _packs.Count;

    public IReadOnlyDictionary<BlobId, IReadOnlyList<PackedBlob>> Packs => _packs;

    public IEnumerable<KeyValuePair<BlobId, BlobLocation>> Blobs => _blobs;

    public bool Contains(BlobId id) => _blobs.ContainsKey(id);

    public bool ContainsPack(BlobId pack) => _packs.ContainsKey(pack);

    public bool TryGet(BlobId id, out BlobLocation location) => _blobs.TryGetValue(id, out location);

    public void AddPack(BlobId pack, IReadOnlyList<PackedBlob> blobs)
    {
        _packs[pack] = blobs;
        foreach (var blob in blobs)
        {
            _blobs.TryAdd(blob.Id, new BlobLocation(pack, blob));
        }
    }
}

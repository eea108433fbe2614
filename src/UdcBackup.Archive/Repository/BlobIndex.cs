using System.Collections.Concurrent;
using UdcBackup.Archive.Format;

namespace UdcBackup.Archive.Repository;

/// <summary>
/// The in-memory union of all readable index files (plus packs adopted from their own headers: a
/// crashed writer's, or those only a damaged index file listed): blob id to location, and pack id
/// to its blobs. When several packs hold the same blob (concurrent writers, an interrupted prune)
/// the first one added wins; the duplicates are harmless and prune drops them.
/// Thread-safe for concurrent lookups and additions.
/// </summary>
public sealed class BlobIndex
{
    private readonly ConcurrentDictionary<BlobId, BlobLocation> _blobs = new();
    private readonly ConcurrentDictionary<BlobId, IReadOnlyList<PackedBlob>> _packs = new();
    private readonly Lock _adoptedLock = new();
    private readonly List<(BlobId, IReadOnlyList<PackedBlob>)> _adopted = [];

    public BlobIndex()
        : this([])
    {
    }

    public BlobIndex(IReadOnlyList<DamagedIndexFile> damagedFiles) => DamagedFiles = damagedFiles;

    /// <summary>The index files that could not be read when this index was loaded, left out of it.</summary>
    public IReadOnlyList<DamagedIndexFile> DamagedFiles { get; }

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

    /// <summary>Adds a pack that no readable index file lists, from its own header; a writer then lists it in its index (<see cref="TakeAdoptedPacks"/>).</summary>
    public void AdoptPack(BlobId pack, IReadOnlyList<PackedBlob> blobs)
    {
        AddPack(pack, blobs);
        lock (_adoptedLock)
        {
            _adopted.Add((pack, blobs));
        }
    }

    /// <summary>The adopted packs not yet handed to a writer, handed over once (the writer lists them in its index file).</summary>
    public List<(BlobId Pack, IReadOnlyList<PackedBlob> Blobs)> TakeAdoptedPacks()
    {
        lock (_adoptedLock)
        {
            List<(BlobId, IReadOnlyList<PackedBlob>)> taken = [.. _adopted];
            _adopted.Clear();
            return taken;
        }
    }
}

using System.Security.Cryptography;
using UdcBackup.Archive.Crypto;
using UdcBackup.Archive.Native;

namespace UdcBackup.Archive.Format;

/// <summary>
/// Appends sealed blobs to one pack under the repository's <c>tmp/</c> folder, then finishes it:
/// header appended, file fsynced and dropped from the page cache (a backup's packs are not read
/// back soon; their pages are reused for the next pack instead of growing the cache by every byte
/// stored), renamed to <c>data/XX/&lt;pack id&gt;</c>, folder fsynced. The pack
/// id is the SHA-256 of the whole file (format 1, hashed while the blobs are appended) or of its
/// trailer only (format 2, <see cref="PackFile.IdOfTrailer"/>: no hash pass over the blobs).
/// A crash before the rename leaves only a temp file (removed by prune); after it, a complete,
/// self-describing pack that the next writer re-indexes. Not thread-safe: one writer per pack.
/// </summary>
public sealed class PackWriter : IDisposable
{
    private readonly string _tempPath;
    private readonly FileStream _stream;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly List<PackedBlob> _blobs = [];
    private readonly bool _nameByTrailer;

    /// <param name="tempFolder">The repository's <c>tmp/</c> folder.</param>
    /// <param name="nameByTrailer">Name the pack by its trailer (format 2) instead of the whole file.</param>
    public PackWriter(string tempFolder, bool nameByTrailer = false)
    {
        _nameByTrailer = nameByTrailer;
        _tempPath = Path.Combine(tempFolder, $"pack-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}.tmp");
        _stream = new FileStream(_tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
    }

    /// <summary>Bytes written so far (blob data only).</summary>
    public long Length { get; private set; }

    public int Count => _blobs.Count;

    public IReadOnlyList<PackedBlob> Blobs => _blobs;

    /// <summary>Appends one already sealed blob.</summary>
    public void Add(BlobId id, BlobType type, bool compressed, int rawLength, ReadOnlySpan<byte> sealedBlob)
    {
        _blobs.Add(new PackedBlob(id, type, compressed, checked((uint)Length), (uint)sealedBlob.Length, (uint)rawLength));
        _stream.Write(sealedBlob);
        if (!_nameByTrailer)
        {
            _hash.AppendData(sealedBlob);
        }

        Length += sealedBlob.Length;
    }

    /// <summary>Seals the header, makes the pack durable and moves it into <paramref name="dataFolder"/>.</summary>
    public BlobId Finish(string dataFolder, MasterKey key)
    {
        var trailer = PackFile.BuildTrailer(_blobs, key);
        _stream.Write(trailer);
        _stream.Flush(flushToDisk: true);
        LinuxFileSystem.AdviseDontNeed(_stream.SafeFileHandle);
        _stream.Dispose();
        BlobId packId;
        if (_nameByTrailer)
        {
            packId = PackFile.IdOfTrailer(trailer);
        }
        else
        {
            _hash.AppendData(trailer);
            packId = BlobId.Read(_hash.GetHashAndReset());
        }

        var name = packId.ToString();
        var folder = Path.Combine(dataFolder, name[..2]);
        Directory.CreateDirectory(folder);
        File.Move(_tempPath, Path.Combine(folder, name), overwrite: true);
        LinuxFileSystem.SyncDirectory(folder);
        return packId;
    }

    public void Dispose()
    {
        try
        {
            _stream.Dispose();
        }
        catch (IOException) when (File.Exists(_tempPath))
        {
            // An unfinished pack's buffered tail could not be flushed (disk full): its bytes are
            // discarded below anyway, and throwing here would hide the error that stopped the pack.
        }
        finally
        {
            _hash.Dispose();
        }

        if (File.Exists(_tempPath))
        {
            File.Delete(_tempPath);
        }
    }
}

using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using System.Diagnostics;
using UdcBackup.Archive.Crypto;
using UdcBackup.Archive.Diagnostics;
using UdcBackup.Archive.Format;
using UdcBackup.Archive.IO;
using UdcBackup.Archive.Native;
using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Archive.Repository;

/// <summary>
/// An opened repository folder: config, unlocked master key, blob index and the primitives the
/// backup, restore, verify and prune components build on (read a blob, write sealed files
/// atomically, list and load snapshots). Every file is written to <c>tmp/</c>, fsynced and renamed,
/// so readers only ever see complete files. Opening never modifies the folder.
/// </summary>
public sealed class ArchiveRepository : IDisposable
{
    private static readonly string[] Folders = ["keys", "data", "index", "snapshots", "locks", "tmp"];
    private readonly ConcurrentDictionary<BlobId, SafeFileHandle> _packHandles = new();
    private readonly ThreadLocal<Zstd> _zstd;
    private BlobIndex? _index;

    private ArchiveRepository(string root, RepositoryConfig config, MasterKey key, TimeProvider time)
    {
        Root = root;
        Config = config;
        Key = key;
        Time = time;
        _zstd = new ThreadLocal<Zstd>(() => new Zstd(config.CompressionLevel), trackAllValues: true);
    }

    public string Root { get; }

    public RepositoryConfig Config { get; }

    public TimeProvider Time { get; }

    /// <summary>Where the time of this repository's operations went (key derivation, index load, pipeline stages).</summary>
    public StageTimings Timings { get; } = new();

    internal MasterKey Key { get; }

    /// <summary>The name of the key file whose password opened this repository.</summary>
    public string CurrentKeyId { get; private init; } = "";

    /// <summary>The password slots (key files) of this repository: list, add, remove, change.</summary>
    public RepositoryKeys Keys => new(this);

    internal string DataFolder => Path.Combine(Root, "data");

    internal string IndexFolder => Path.Combine(Root, "index");

    internal string SnapshotFolder => Path.Combine(Root, "snapshots");

    internal string TempFolder => Path.Combine(Root, "tmp");

    internal string LocksFolder => Path.Combine(Root, "locks");

    internal Zstd Compressor => _zstd.Value!;

    /// <summary>The index, loaded from all index files on first use.</summary>
    public BlobIndex Index => _index ??= Timings.Measure("open.index", LoadIndex);

    /// <summary>Creates a repository in an empty or missing folder.</summary>
    public static ArchiveRepository Init(string root, string password, int kdfIterations = KeyFile.DefaultIterations, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        root = Path.GetFullPath(root);
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
        {
            throw new ArchiveException(ArchiveErrorCode.AlreadyExists, $"'{root}' is not empty; a repository is created only in an empty or new folder.");
        }

        if (string.IsNullOrEmpty(password))
        {
            throw new ArchiveException(ArchiveErrorCode.InvalidArgument, "An empty password is not allowed.");
        }

        // Fewer would write a key file that Open refuses: a repository no password ever opens.
        if (kdfIterations < KeyFile.MinimumIterations)
        {
            throw new ArchiveException(ArchiveErrorCode.InvalidArgument, $"{kdfIterations} key derivation iterations are fewer than the {KeyFile.MinimumIterations} a key file needs to be opened; give {KeyFile.MinimumIterations} or more. Nothing was created.");
        }

        var rootCreated = !Directory.Exists(root);
        var key = MasterKey.Create();
        try
        {
            foreach (var folder in Folders)
            {
                Directory.CreateDirectory(Path.Combine(root, folder));
            }

            var keyId = RepositoryKeys.Write(root, KeyFile.Create(key, password, kdfIterations, time));
            var config = new RepositoryConfig { Version = RepositoryConfig.CurrentVersion, CompressionLevel = RepositoryConfig.NewCompressionLevel, Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), Created = time.GetUtcNow() };
            WriteAtomically(Path.Combine(root, "tmp"), Path.Combine(root, "config"), JsonSerializer.SerializeToUtf8Bytes(config, ArchiveJson.Indented.RepositoryConfig));
            return new ArchiveRepository(root, config, key, time) { CurrentKeyId = keyId };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A half-made repository (folders, a key, no config) is no repository, yet its folder is
            // no longer empty, so the next init would refuse it: what this init began is removed.
            key.Dispose();
            RemoveHalfMade(root, rootCreated);
            throw DiskFull.Is(ex)
                ? new ArchiveException(ArchiveErrorCode.NoSpace, $"No space left to create a repository at {root} ({ex.Message}). What was begun was removed; free space there and run init again.", ex)
                : new ArchiveException(ArchiveErrorCode.IoFailure, $"The repository at {root} could not be created ({ex.Message}). What was begun was removed.", ex);
        }
    }

    private static void RemoveHalfMade(string root, bool rootCreated)
    {
        try
        {
            if (rootCreated)
            {
                Directory.Delete(root, recursive: true);
                return;
            }

            File.Delete(Path.Combine(root, "config"));
            foreach (var folder in Folders.Where(f => Directory.Exists(Path.Combine(root, f))))
            {
                Directory.Delete(Path.Combine(root, folder), recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The init's own error says what went wrong; an empty folder left here is refused by Open.
        }
    }

    /// <summary>Opens an existing repository; wrong password or a foreign folder throws <see cref="ArchiveException"/>.</summary>
    public static ArchiveRepository Open(string root, string password, TimeProvider? time = null)
    {
        root = Path.GetFullPath(root);
        var configPath = Path.Combine(root, "config");
        if (!Directory.Exists(root))
        {
            throw new ArchiveException(ArchiveErrorCode.NotARepository, $"Repository folder '{root}' does not exist.");
        }

        if (!File.Exists(configPath) || !Directory.Exists(Path.Combine(root, "keys")))
        {
            throw new ArchiveException(ArchiveErrorCode.NotARepository, $"'{root}' is not an archive repository (no config or keys; create one with 'udc archive init').");
        }

        RepositoryConfig config;
        try
        {
            config = JsonSerializer.Deserialize(File.ReadAllBytes(configPath), ArchiveJson.Default.RepositoryConfig) ?? throw new JsonException("empty");
        }
        catch (JsonException ex)
        {
            // It has the config and keys of a repository: damaged data, not a wrong folder.
            throw new ArchiveException(ArchiveErrorCode.DamagedRepository, $"'{root}' has a config file that cannot be read, so the repository's config is damaged: {ex.Message}");
        }

        if (!config.IsReadable)
        {
            throw new ArchiveException(ArchiveErrorCode.NotARepository, $"'{root}' holds format '{config.FormatName}' version {config.Version}, which this program does not read.");
        }

        ArchiveException? last = null;
        foreach (var keyPath in Directory.EnumerateFiles(Path.Combine(root, "keys")))
        {
            try
            {
                var keyFile = JsonSerializer.Deserialize(File.ReadAllBytes(keyPath), ArchiveJson.Default.KeyFile) ?? throw new JsonException("empty");
                var started = Stopwatch.GetTimestamp();
                var repository = new ArchiveRepository(root, config, keyFile.Unlock(password), time ?? TimeProvider.System) { CurrentKeyId = Path.GetFileName(keyPath) };
                repository.Timings.Add("open.key-derivation", new StageTimings.Mark(started, 0, Thread: -1)); // wall only: the timings did not exist yet
                return repository;
            }
            catch (ArchiveException ex) when (ex.Code == ArchiveErrorCode.WrongPassword)
            {
                last = ex;
            }
            catch (JsonException)
            {
                last = new ArchiveException(ArchiveErrorCode.DamagedRepository, $"Key file {Path.GetFileName(keyPath)} is not readable.");
            }
        }

        throw last ?? new ArchiveException(ArchiveErrorCode.DamagedRepository, $"'{root}' has no key files left: no password opens it (damaged, or its keys folder was emptied).");
    }

    public RepositoryLock Lock(bool exclusive) => RepositoryLock.Acquire(LocksFolder, exclusive, Time);

    /// <summary>The path of a pack file.</summary>
    public string PackPath(BlobId pack)
    {
        var name = pack.ToString();
        return Path.Combine(DataFolder, name[..2], name);
    }

    /// <summary>Every pack file present in <c>data/</c>, indexed or not.</summary>
    public IEnumerable<BlobId> ListPackFiles()
    {
        if (!Directory.Exists(DataFolder))
        {
            yield break;
        }

        foreach (var folder in Directory.EnumerateDirectories(DataFolder))
        {
            foreach (var file in Directory.EnumerateFiles(folder))
            {
                if (BlobId.TryParse(Path.GetFileName(file), out var id))
                {
                    yield return id;
                }
            }
        }
    }

    /// <summary>Reads stored bytes of a pack (handles are cached and shared by threads).</summary>
    internal int ReadPack(BlobId pack, Span<byte> destination, long offset) =>
        RandomAccess.Read(PackHandle(pack), destination, offset);

    /// <summary>
    /// Lets the kernel read whole packs into the page cache ahead of their use, in the given order:
    /// a restore from a cold cache then reads at the disk's streaming rate instead of waiting on one
    /// blob-sized read per worker at a time. Only a hint; a missing pack fails later, at its read.
    /// </summary>
    internal void Prefetch(IEnumerable<BlobId> packs, CancellationToken ct)
    {
        foreach (var pack in packs)
        {
            if (ct.IsCancellationRequested)
            {
                return;
            }

            try
            {
                LinuxFileSystem.AdviseWillNeed(PackHandle(pack), 0, 0);
            }
            catch (IOException)
            {
                // reported by the read that needs the pack
            }
        }
    }

    private SafeFileHandle PackHandle(BlobId pack) => _packHandles.GetOrAdd(pack, p => File.OpenHandle(PackPath(p)));

    /// <summary>Reads, authenticates, decompresses and (format 1) hash-checks one blob.</summary>
    /// <exception cref="InvalidDataException">The stored blob is damaged.</exception>
    public byte[] ReadBlob(BlobLocation location)
    {
        var blob = location.Blob;
        var handle = _packHandles.GetOrAdd(location.Pack, p => File.OpenHandle(PackPath(p)));
        var sealedBytes = new byte[blob.Length];
        var read = RandomAccess.Read(handle, sealedBytes, blob.Offset);
        if (read != sealedBytes.Length)
        {
            throw new InvalidDataException($"blob {blob.Id.ShortHex} in pack {location.Pack.ShortHex} is truncated");
        }

        return DecodeBlob(blob, sealedBytes, location.Pack, checkHash: !Config.BindsBlobIds);
    }

    public byte[] ReadBlob(BlobId id) =>
        Index.TryGet(id, out var location)
            ? ReadBlob(location)
            : throw new InvalidDataException($"blob {id.ShortHex} is not in the index");

    /// <summary>
    /// Turns the stored bytes of a blob into its checked plaintext. <paramref name="checkHash"/>
    /// false skips the SHA-256 of the plaintext, which only a format-2 reader may do (the seal binds
    /// the id); verify and prune always check it.
    /// </summary>
    internal byte[] DecodeBlob(PackedBlob blob, ReadOnlySpan<byte> sealedBytes, BlobId pack, bool checkHash = true)
    {
        byte[] plain;
        try
        {
            // Format 2 binds the blob id; the hash below is still checked here (verify and prune
            // use this path), so every reader but the restore's checks both.
            Span<byte> id = stackalloc byte[BlobId.Size];
            blob.Id.Write(id);
            plain = new byte[Math.Max(0, sealedBytes.Length - MasterKey.Overhead)];
            Key.Open(sealedBytes, plain, Config.BindsBlobIds ? id : []);
        }
        catch (CryptographicException)
        {
            throw new InvalidDataException($"blob {blob.Id.ShortHex} in pack {pack.ShortHex} fails authentication (damaged)");
        }

        if (blob.Compressed)
        {
            var raw = new byte[blob.RawLength];
            if (Compressor.Decompress(plain, raw) != raw.Length)
            {
                throw new InvalidDataException($"blob {blob.Id.ShortHex} decompresses to the wrong length");
            }

            plain = raw;
        }

        if (checkHash && Config.BlobIdOf(plain) != blob.Id)
        {
            throw new InvalidDataException($"blob {blob.Id.ShortHex} in pack {pack.ShortHex} does not match its hash (damaged)");
        }

        return plain;
    }

    /// <summary>Seals <paramref name="plain"/> and stores it under <paramref name="folder"/>, named by its hash.</summary>
    internal BlobId WriteSealedFile(string folder, byte[] plain)
    {
        var sealedBytes = Key.Seal(plain);
        var id = BlobId.Hash(sealedBytes);
        WriteAtomically(TempFolder, Path.Combine(folder, id.ToString()), sealedBytes);
        return id;
    }

    internal byte[] ReadSealedFile(string path)
    {
        var sealedBytes = File.ReadAllBytes(path);
        if (BlobId.Hash(sealedBytes).ToString() != Path.GetFileName(path))
        {
            throw new InvalidDataException($"{Path.GetFileName(Path.GetDirectoryName(path))}/{Path.GetFileName(path)} does not match its name (damaged)");
        }

        try
        {
            return Key.Open(sealedBytes);
        }
        catch (CryptographicException)
        {
            throw new InvalidDataException($"{Path.GetFileName(path)} fails authentication (damaged or foreign)");
        }
    }

    /// <summary>Writes an index file listing <paramref name="packs"/>.</summary>
    internal BlobId WriteIndex(IReadOnlyCollection<(BlobId Pack, IReadOnlyList<PackedBlob> Blobs)> packs) =>
        WriteSealedFile(IndexFolder, IndexFile.Encode(packs));

    /// <summary>
    /// Replaces the index files <paramref name="oldFiles"/> by one listing <paramref name="packs"/>:
    /// the new file is written and flushed (file and folder) before the first old one is deleted, so
    /// a crash in between leaves both, which readers merge, never neither.
    /// </summary>
    internal BlobId ReplaceIndex(IReadOnlyCollection<(BlobId Pack, IReadOnlyList<PackedBlob> Blobs)> packs, IEnumerable<string> oldFiles)
    {
        var written = WriteIndex(packs);
        foreach (var file in oldFiles)
        {
            File.Delete(file);
        }

        LinuxFileSystem.SyncDirectory(IndexFolder);
        return written;
    }

    public IEnumerable<string> ListIndexFiles() => Directory.EnumerateFiles(IndexFolder);

    /// <summary>Loads every snapshot manifest, oldest first; one that cannot be read fails the whole listing.</summary>
    public List<Snapshot> ListSnapshots() => ListSnapshots(damaged: null);

    /// <summary>
    /// Loads every snapshot manifest, oldest first. With <paramref name="damaged"/>, a manifest that
    /// cannot be read, decrypted or parsed is added there and left out, so one damaged file does not
    /// hide every backup from a listing; without it, such a file fails the listing (as prune and
    /// forget need: they must not act on a partial view).
    /// </summary>
    public List<Snapshot> ListSnapshots(ICollection<DamagedSnapshot>? damaged)
    {
        var result = new List<Snapshot>();
        foreach (var path in Directory.EnumerateFiles(SnapshotFolder))
        {
            try
            {
                result.Add(LoadSnapshotFile(path));
            }
            catch (ArchiveException ex) when (damaged is not null && ex.Code == ArchiveErrorCode.DamagedRepository)
            {
                damaged.Add(new DamagedSnapshot(Path.GetFileName(path), ex.Message));
            }
        }

        result.Sort((a, b) => a.Time.CompareTo(b.Time));
        return result;
    }

    /// <summary>
    /// The snapshot whose full id is <paramref name="id"/>, or null when no snapshot has that id (or
    /// it is not a full id). Only that manifest is read: other snapshots, damaged ones included, do
    /// not matter; a damaged manifest of this id fails (<see cref="ArchiveErrorCode.DamagedRepository"/>).
    /// </summary>
    public Snapshot? TryLoadSnapshot(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Length != 64 || !BlobId.TryParse(id, out var parsed))
        {
            return null;
        }

        var path = Path.Combine(SnapshotFolder, parsed.ToString());
        return File.Exists(path) ? LoadSnapshotFile(path) : null;
    }

    /// <summary>Finds a snapshot as <see cref="FindSnapshot(string, ICollection{DamagedSnapshot}?)"/> does, not saying which damaged ones "latest" skipped.</summary>
    public Snapshot FindSnapshot(string idOrPrefix) => FindSnapshot(idOrPrefix, skipped: null);

    /// <summary>
    /// Finds a snapshot by full id or unique prefix (hex digits), or "latest". Anything else, the
    /// empty string above all, is refused: as a prefix it would match every snapshot, so a
    /// repository holding one would hand it to a command (forget, ls) that was given no id.
    /// "latest" is the newest readable snapshot: damaged manifests are skipped and added to
    /// <paramref name="skipped"/> (so the caller can say so); when none is readable, the first
    /// damaged one's error is thrown. A snapshot named by id that is damaged always fails.
    /// </summary>
    public Snapshot FindSnapshot(string idOrPrefix, ICollection<DamagedSnapshot>? skipped)
    {
        ArgumentNullException.ThrowIfNull(idOrPrefix);
        if (idOrPrefix == "latest")
        {
            var damaged = new List<DamagedSnapshot>();
            var latest = ListSnapshots(damaged).LastOrDefault();
            foreach (var d in damaged)
            {
                skipped?.Add(d);
            }

            return latest
                ?? (damaged.Count > 0
                    ? throw new ArchiveException(ArchiveErrorCode.DamagedRepository, $"No snapshot can be read: {damaged[0].Message}")
                    : throw new ArchiveException(ArchiveErrorCode.InvalidArgument, "The repository has no snapshots yet."));
        }

        if (idOrPrefix.Length == 0 || !idOrPrefix.All(char.IsAsciiHexDigit))
        {
            throw new ArchiveException(ArchiveErrorCode.InvalidArgument, $"'{idOrPrefix}' is not a snapshot id: give the id, a prefix of it (hex digits) or 'latest'.");
        }

        var matches = Directory.EnumerateFiles(SnapshotFolder)
            .Where(p => Path.GetFileName(p).StartsWith(idOrPrefix, StringComparison.OrdinalIgnoreCase))
            .ToList();
        return matches.Count switch
        {
            1 => LoadSnapshotFile(matches[0]),
            0 => throw new ArchiveException(ArchiveErrorCode.InvalidArgument, $"No snapshot with id '{idOrPrefix}'."),
            _ => throw new ArchiveException(ArchiveErrorCode.InvalidArgument, $"Snapshot id prefix '{idOrPrefix}' is ambiguous ({matches.Count} matches)."),
        };
    }

    internal BlobId SaveSnapshot(Snapshot snapshot)
    {
        var id = WriteSealedFile(SnapshotFolder, JsonSerializer.SerializeToUtf8Bytes(snapshot, ArchiveJson.Default.Snapshot));
        snapshot.Id = id;
        return id;
    }

    internal void DeleteSnapshot(BlobId id) => File.Delete(Path.Combine(SnapshotFolder, id.ToString()));

    /// <summary>Reloads the index from disk (after prune rewrote it).</summary>
    public BlobIndex ReloadIndex() => _index = LoadIndex();

    public void Dispose()
    {
        foreach (var handle in _packHandles.Values)
        {
            handle.Dispose();
        }

        foreach (var zstd in _zstd.Values)
        {
            zstd.Dispose();
        }

        _zstd.Dispose();
        Key.Dispose();
    }

    internal static void WriteAtomically(string tempFolder, string path, ReadOnlySpan<byte> bytes)
    {
        var temp = Path.Combine(tempFolder, $"{Path.GetFileName(path)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp");
        try
        {
            // Unbuffered: a write that fails (disk full) fails here, not again in Dispose's flush,
            // which would hide the first error and skip the temp file's removal.
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            File.Delete(temp);
            throw;
        }

        LinuxFileSystem.SyncDirectory(Path.GetDirectoryName(path)!);
    }

    private Snapshot LoadSnapshotFile(string path)
    {
        try
        {
            var snapshot = JsonSerializer.Deserialize(ReadSealedFile(path), ArchiveJson.Default.Snapshot) ?? throw new JsonException("empty");
            snapshot.Id = BlobId.Parse(Path.GetFileName(path));
            return snapshot;
        }
        catch (Exception ex) when (ex is InvalidDataException or JsonException or FormatException)
        {
            throw new ArchiveException(ArchiveErrorCode.DamagedRepository, $"Snapshot {Path.GetFileName(path)} cannot be read: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Loads every index file. One that cannot be read, decrypted or parsed is left out and named in
    /// <see cref="BlobIndex.DamagedFiles"/>; the packs that only it listed are then adopted from their
    /// own headers (each header is sealed, so it is as trustworthy as an index file), and a pack whose
    /// header cannot be read stays out: the files that need it are damaged, never read wrongly.
    /// </summary>
    private BlobIndex LoadIndex()
    {
        var damaged = new List<DamagedIndexFile>();
        var listed = new List<(BlobId Pack, List<PackedBlob> Blobs)>();
        foreach (var path in ListIndexFiles())
        {
            try
            {
                listed.AddRange(IndexFile.Decode(ReadSealedFile(path), Path.GetFileName(path)));
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                damaged.Add(new DamagedIndexFile(Path.GetFileName(path), $"Index file {Path.GetFileName(path)} cannot be read: {ex.Message}"));
            }
        }

        var index = new BlobIndex(damaged);
        foreach (var (pack, blobs) in listed)
        {
            index.AddPack(pack, blobs);
        }

        if (damaged.Count > 0)
        {
            AdoptUnlistedPacks(index);
        }

        return index;
    }

    /// <summary>
    /// Adds to <paramref name="index"/> every pack in <c>data/</c> that it does not list, read from the
    /// pack's own header (<see cref="BlobIndex.AdoptPack"/>). A pack whose header cannot be read is
    /// not used: verify reports it, and prune removes it only when no index file is damaged.
    /// </summary>
    internal void AdoptUnlistedPacks(BlobIndex index)
    {
        foreach (var pack in ListPackFiles())
        {
            if (index.ContainsPack(pack))
            {
                continue;
            }

            try
            {
                index.AdoptPack(pack, PackFile.ReadHeader(PackPath(pack), Key));
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException)
            {
                // Left out: a blob is never located through a header that does not open.
            }
        }
    }
}

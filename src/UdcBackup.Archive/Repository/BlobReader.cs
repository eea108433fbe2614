using System.Diagnostics;
using System.Security.Cryptography;
using UdcBackup.Archive.Crypto;
using UdcBackup.Archive.Format;

namespace UdcBackup.Archive.Repository;

/// <summary>
/// Reads blobs into two reusable buffers instead of allocating per blob (restore reads every
/// chunk of a snapshot; per-chunk arrays of up to 4 MiB made the garbage collector the bottleneck).
/// A compressed blob is opened in place in the read buffer and decompressed from there into the
/// plain buffer: no copy of the frame between them.
/// The returned span is valid until the next <see cref="Read"/>. One reader per thread.
/// In a format-2 repository the blob id is the seal's associated data: a blob that authenticates
/// was sealed for that id by a holder of the key, so the SHA-256 check of the plaintext (about a
/// seventh of a restore's CPU) is left to verify; format 1 seals without it and is hash-checked.
/// </summary>
internal sealed class BlobReader(ArchiveRepository repository)
{
    private byte[] _sealed = new byte[repository.Config.ChunkMax + MasterKey.Overhead + 1024];
    private byte[] _plain = new byte[repository.Config.ChunkMax];
    private readonly byte[] _id = new byte[BlobId.Size];

    /// <exception cref="InvalidDataException">The blob is truncated, fails authentication, or does not match its hash.</exception>
    public ReadOnlySpan<byte> Read(BlobLocation location)
    {
        var blob = location.Blob;
        if (_sealed.Length < blob.Length)
        {
            _sealed = new byte[blob.Length];
        }

        if (_plain.Length < Math.Max(blob.RawLength, blob.Length))
        {
            _plain = new byte[Math.Max(blob.RawLength, blob.Length)];
        }

        var timings = repository.Timings;
        var started = timings.Start();
        var sealedBytes = _sealed.AsSpan(0, (int)blob.Length);
        if (repository.ReadPack(location.Pack, sealedBytes, blob.Offset) != sealedBytes.Length)
        {
            throw new InvalidDataException($"blob {blob.Id.ShortHex} in pack {location.Pack.ShortHex} is truncated");
        }

        started = timings.Add("restore.read", started);

        // A compressed blob is decrypted in place (GCM allows the exact overlap), so its frame goes
        // straight from there into the plain buffer; a raw blob is decrypted into the plain buffer.
        var length = sealedBytes.Length - MasterKey.Overhead;
        var opened = blob.Compressed && length >= 0 ? sealedBytes.Slice(MasterKey.NonceSize, length) : _plain;
        try
        {
            blob.Id.Write(_id);
            length = repository.Key.Open(sealedBytes, opened, repository.Config.BindsBlobIds ? _id : []);
        }
        catch (CryptographicException)
        {
            throw new InvalidDataException($"blob {blob.Id.ShortHex} in pack {location.Pack.ShortHex} fails authentication (damaged)");
        }

        started = timings.Add("restore.decrypt", started);
        var plain = _plain.AsSpan(0, length);
        if (blob.Compressed)
        {
            if (repository.Compressor.Decompress(opened[..length], _plain.AsSpan(0, (int)blob.RawLength)) != blob.RawLength)
            {
                throw new InvalidDataException($"blob {blob.Id.ShortHex} decompresses to the wrong length");
            }

            plain = _plain.AsSpan(0, (int)blob.RawLength);
            started = timings.Add("restore.decompress", started);
        }

        if (repository.Config.BindsBlobIds)
        {
            return plain;
        }

        var matches = repository.Config.BlobIdOf(plain) == blob.Id;
        timings.Add("restore.hash", started);
        if (!matches)
        {
            throw new InvalidDataException($"blob {blob.Id.ShortHex} in pack {location.Pack.ShortHex} does not match its hash (damaged)");
        }

        return plain;
    }
}

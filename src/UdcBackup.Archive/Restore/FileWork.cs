using Microsoft.Win32.SafeHandles;
using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Archive.Restore;

/// <summary>
/// One file of a restore, written by one or more pieces (runs of its chunks) that several workers
/// may write at once into the same temp: a large file at the end of the walk (a disk image) would
/// otherwise be written by one worker while the other cores idle. The first piece to start opens
/// the temp (or decides the file is kept); the last piece to end finishes it. A piece's failure or
/// a damaged chunk is recorded here so that the last piece removes the temp instead of renaming it.
/// Thread-safe.
/// </summary>
internal sealed class FileWork(ArchiveEntry entry, string destination, int pieces)
{
    /// <summary>
    /// Chunks per piece: about 16 MiB at the default 512 KiB average chunk. Pieces of one file
    /// contend for its inode lock in every write: with 8-chunk pieces (the benchmark's 10 MiB files
    /// in three) a restore took 0.3-0.9 CPU s more in three interleaved runs, so only files far
    /// larger than a piece are cut.
    /// </summary>
    public const int ChunksPerPiece = 32;

    private readonly Lock _gate = new();
    private int _remaining = pieces;
    private bool _opened;
    private SafeFileHandle? _handle;

    public ArchiveEntry Entry { get; } = entry;

    public string Destination { get; } = destination;

    public string Temp { get; set; } = "";

    /// <summary>True when the destination already holds this file (or must be kept) and nothing is written.</summary>
    public bool Kept { get; private set; }

    /// <summary>A piece threw: the temp is removed and the error travels up from that piece.</summary>
    public bool Failed { get; private set; }

    /// <summary>Why the file's stored data cannot be used (first damaged chunk found), or null.</summary>
    public string? Damage { get; private set; }

    /// <summary>The temp's handle, opened by the first caller with <paramref name="open"/> (null: keep the destination).</summary>
    public SafeFileHandle? Open(Func<FileWork, SafeFileHandle?> open)
    {
        lock (_gate)
        {
            if (!_opened)
            {
                _opened = true;
                try
                {
                    _handle = open(this);
                    Kept = _handle is null;
                }
                catch
                {
                    Failed = true;
                    throw;
                }
            }

            return Failed || Damage is not null ? null : _handle;
        }
    }

    public void MarkDamaged(string reason)
    {
        lock (_gate)
        {
            Damage ??= reason;
        }
    }

    public void MarkFailed()
    {
        lock (_gate)
        {
            Failed = true;
        }
    }

    /// <summary>Ends one piece; true for the last one, which must finish the file.</summary>
    public bool PieceDone() => Interlocked.Decrement(ref _remaining) == 0;

    /// <summary>The handle for the finishing piece (all others are done with it), or null if none was opened.</summary>
    public SafeFileHandle? Handle => _handle;

    /// <summary>After a restore failed: closes and removes the temp if pieces of this file never ran.</summary>
    public void Abandon()
    {
        lock (_gate)
        {
            if (Volatile.Read(ref _remaining) > 0 && _handle is { IsClosed: false })
            {
                _handle.Dispose();
                File.Delete(Temp);
            }
        }
    }

    /// <summary>Bytes the file's chunks cover (less than its size when it ends in a hole).</summary>
    public static long ContentLength(ArchiveEntry file)
    {
        long length = 0;
        foreach (var chunk in file.Content)
        {
            length += chunk.Length;
        }

        return length;
    }

    /// <summary>The pieces a file is cut into, in chunk order.</summary>
    public static IEnumerable<(FileWork File, int First, int Count)> Pieces(ArchiveEntry file, string destination)
    {
        var chunks = file.Content.Count;
        var count = Math.Max(1, (chunks + ChunksPerPiece - 1) / ChunksPerPiece);
        var work = new FileWork(file, destination, count);
        for (var i = 0; i < count; i++)
        {
            yield return (work, i * ChunksPerPiece, Math.Min(ChunksPerPiece, chunks - (i * ChunksPerPiece)));
        }
    }
}

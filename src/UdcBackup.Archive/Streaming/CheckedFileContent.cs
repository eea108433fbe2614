using Microsoft.Win32.SafeHandles;
using UdcBackup.Archive.Backup;
using UdcBackup.Archive.IO;
using UdcBackup.Archive.Native;

namespace UdcBackup.Archive.Streaming;

/// <summary>
/// A file's content as <see cref="FileSystemSource"/> sends it, and the check whether the file
/// changed while it was read. Reads are positional and bounded by what the stat before the read
/// announced: the data extents of a sparse file, else <c>(0, size)</c>. The check, asked once the
/// content was read, is the local backup's (<see cref="FileSystemBackup"/>): a stat after the read
/// differing in mtime, ctime or size, or fewer bytes read than announced, means changed. The bytes
/// compared are the extents' bytes, not the stat size: a sparse file sends only its data, so the
/// two differ on every unchanged sparse file. A sparse file that shrank is padded with zeros to its
/// extents' length (a receiver takes an extent that ends early as a broken stream); the file is
/// then reported changed. A warning naming the file goes to the source's list when it changed.
/// </summary>
internal sealed class CheckedFileContent : ReadOnlyStream
{
    private readonly ExtentStream _file;
    private readonly string _path;
    private readonly FileStatus _before;
    private readonly bool _sparse;
    private readonly long _expected;
    private readonly List<string> _warnings;
    private long _read;
    private long _padded;
    private bool? _changed;

    public CheckedFileContent(SafeFileHandle handle, string path, FileStatus before, IReadOnlyList<DataExtent>? extents, List<string> warnings)
    {
        var ranges = extents ?? [new DataExtent(0, before.Size)];
        _file = new ExtentStream(handle, ranges);
        _path = path;
        _before = before;
        _sparse = extents is not null;
        _expected = ranges.Sum(e => e.Length);
        _warnings = warnings;
    }

    public override int Read(Span<byte> buffer)
    {
        if (_read + _padded < _expected && _padded == 0)
        {
            var read = _file.Read(buffer);
            if (read > 0)
            {
                _read += read;
                return read;
            }
        }

        if (!_sparse || _read + _padded >= _expected)
        {
            return 0;
        }

        var zeros = (int)Math.Min(buffer.Length, _expected - _read - _padded);
        buffer[..zeros].Clear();
        _padded += zeros;
        return zeros;
    }

    /// <summary>Whether the file changed while it was read; asked after the content was read to its end (the first answer is kept).</summary>
    public ValueTask<bool> ChangedWhileReadAsync(CancellationToken ct)
    {
        _changed ??= Check();
        return ValueTask.FromResult(_changed.Value);
    }

    private bool Check()
    {
        FileStatus after;
        try
        {
            after = LinuxFileSystem.Stat(_path);
        }
        catch (IOException ex)
        {
            Warn($"'{_path}' changed while it was read (gone afterwards: {ex.Message}); sent {_read} bytes as read");
            return true;
        }

        if (after.UnchangedSince(_before) && _read == _expected)
        {
            return false;
        }

        Warn(_padded > 0
            ? $"'{_path}' changed while it was read; sent {_read} bytes as read and {_padded} zero bytes where it had shrunk"
            : $"'{_path}' changed while it was read; sent {_read} bytes as read");
        return true;
    }

    private void Warn(string warning)
    {
        lock (_warnings)
        {
            _warnings.Add(warning);
        }
    }
}

using Microsoft.Win32.SafeHandles;
using UdcBackup.Archive.IO;

namespace UdcBackup.Archive.Backup;

/// <summary>
/// Reads byte ranges of a file back to back with positional reads: the data extents of a sparse
/// file (its holes skipped), or one extent <c>(0, size)</c> for a whole file, which bounds the read
/// by the size seen at stat time and saves the end-of-file read (growth is caught by the re-stat
/// after reading). A file that shrinks ends the stream early; the caller sees the short length.
/// </summary>
internal sealed class ExtentStream(SafeFileHandle handle, IReadOnlyList<DataExtent> extents) : ReadOnlyStream
{
    private int _extent;
    private long _inExtent;

    public override int Read(Span<byte> buffer)
    {
        while (_extent < extents.Count)
        {
            var current = extents[_extent];
            var left = current.Length - _inExtent;
            if (left <= 0)
            {
                _extent++;
                _inExtent = 0;
                continue;
            }

            var want = (int)Math.Min(buffer.Length, left);
            var read = RandomAccess.Read(handle, buffer[..want], current.Offset + _inExtent);
            if (read == 0)
            {
                return 0; // the file shrank while being read; the caller detects the short extent
            }

            _inExtent += read;
            return read;
        }

        return 0;
    }
}

using Microsoft.Win32.SafeHandles;

namespace UdcBackup.Archive.Backup;

/// <summary>Reads the data extents of a sparse file back to back, skipping its holes.</summary>
internal sealed class ExtentStream(SafeFileHandle handle, IReadOnlyList<DataExtent> extents) : Stream
{
    private int _extent;
    private long _inExtent;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

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

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

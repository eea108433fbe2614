using System.Text;

namespace UdcBackup.Agents.Disk;

/// <summary>
/// Reads a child's output stream to its end, keeping the first <c>limit</c> bytes and dropping
/// the rest, so a chatty script can neither fill the agent's memory nor block on a full pipe.
/// </summary>
internal sealed class BoundedCapture
{
    private readonly int _limit;
    private byte[] _kept = new byte[4096];
    private int _length;

    public BoundedCapture(int limit)
    {
        _limit = limit;
    }

    public bool Truncated { get; private set; }

    public async Task ReadToEndAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            var room = _limit - _length;
            var take = Math.Min(room, read);
            if (take > 0)
            {
                if (_length + take > _kept.Length)
                {
                    Array.Resize(ref _kept, Math.Min(_limit, Math.Max(_kept.Length * 2, _length + take)));
                }

                buffer.AsSpan(0, take).CopyTo(_kept.AsSpan(_length));
                _length += take;
            }

            if (read > room)
            {
                Truncated = true;
            }
        }
    }

    public string Text() => Encoding.UTF8.GetString(_kept, 0, _length);
}

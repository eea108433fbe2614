using System.Net.Sockets;

namespace UdcBackup.Agents.Tests;

/// <summary>
/// A client's TCP connection (for <c>SocketsHttpHandler.ConnectCallback</c>) whose writes pass a
/// test's hook first: to count the bytes on the wire, hold them at a point, or cut the connection
/// (the hook may close <see cref="Socket"/> and throw). Reads go straight through.
/// </summary>
public sealed class InterceptedConnectionStream(NetworkStream inner, Func<InterceptedConnectionStream, ReadOnlyMemory<byte>, CancellationToken, ValueTask> beforeWrite, Action<InterceptedConnectionStream>? afterWrite = null) : Stream
{
    public Socket Socket => inner.Socket;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>A new TCP connection to the request's host and port, without Nagle's delay.</summary>
    public static async Task<NetworkStream> OpenAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(context.DnsEndPoint, ct);
        return new NetworkStream(socket, ownsSocket: true);
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await beforeWrite(this, buffer, cancellationToken);
        await inner.WriteAsync(buffer, cancellationToken);
        afterWrite?.Invoke(this);
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

using System.Net;
using System.Net.Sockets;

namespace UdcBackup.Agents.Tests;

/// <summary>
/// A TCP relay on loopback between a client and an agent: it counts the bytes that cross it in
/// both directions (the wire, TLS included) and can stop forwarding once a number of them went through, so a test
/// kills a process at an exact point of a transfer instead of racing it. <see cref="Cut"/> closes
/// every relayed connection; a new connection is forwarded again (counted from <see cref="Reset"/>).
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = [];
    private readonly Task _accepting;
    private long _forwarded;
    private long _holdAfter;
    private TaskCompletionSource _holding = NewSignal();
    private TaskCompletionSource _released = NewSignal();

    public TcpRelay(int targetPort, long holdAfter = long.MaxValue)
    {
        _targetPort = targetPort;
        _holdAfter = holdAfter;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The relay's address for an agent URL (https://127.0.0.1:PORT).</summary>
    public Uri Url => new($"https://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>Bytes relayed either way since the start or the last <see cref="Reset"/>.</summary>
    public long Forwarded => Interlocked.Read(ref _forwarded);

    /// <summary>Completes once forwarding stopped at the hold point.</summary>
    public Task Holding => _holding.Task;

    /// <summary>Starts counting from zero; forwards everything unless <paramref name="holdAfter"/> is given.</summary>
    public void Reset(long holdAfter = long.MaxValue)
    {
        _holding = NewSignal();
        _released = NewSignal();
        Interlocked.Exchange(ref _holdAfter, holdAfter);
        Interlocked.Exchange(ref _forwarded, 0);
    }

    /// <summary>Closes every relayed connection (the peers see them die) and lets held pumps end.</summary>
    public void Cut()
    {
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                socket.Close();
            }

            _sockets.Clear();
        }

        _released.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // the listener was stopped
        }

        _stop.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptSocketAsync(_stop.Token);
            var server = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await server.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _targetPort), _stop.Token);
            }
            catch (SocketException)
            {
                client.Close(); // the agent is down: the client sees a refused/closed connection
                server.Dispose();
                continue;
            }

            lock (_sockets)
            {
                _sockets.Add(client);
                _sockets.Add(server);
            }

            _ = PumpAsync(client, server);
            _ = PumpAsync(server, client);
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                if (Interlocked.Read(ref _forwarded) + read > Interlocked.Read(ref _holdAfter))
                {
                    var released = _released.Task;
                    _holding.TrySetResult();
                    await released.WaitAsync(_stop.Token);
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
                Interlocked.Add(ref _forwarded, read);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // a side closed or the relay was cut: the pump ends with its connection
        }
    }
}

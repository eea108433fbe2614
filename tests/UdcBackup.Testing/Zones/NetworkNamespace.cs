using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using UdcBackup.Testing.Processes;

namespace UdcBackup.Testing.Zones;

/// <summary>
/// One named network namespace (<c>ip netns</c>). Commands run inside it through
/// <c>ip netns exec</c>; sockets are created inside it by a short-lived thread that first joins
/// the namespace with setns(2): a socket stays in the namespace it was created in, so the test
/// can then use it from any thread without a helper process.
/// </summary>
public sealed partial class NetworkNamespace
{
    private const int CloneNewNet = 0x40000000;

    public NetworkNamespace(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }

    /// <summary>The namespace's name as <c>ip netns list</c> shows it.</summary>
    public string Name { get; }

    /// <summary>The prefix that runs a program inside this namespace.</summary>
    public IReadOnlyList<string> ExecPrefix => ["ip", "netns", "exec", Name];

    /// <summary>Runs a command inside the namespace; throws with its error output on failure.</summary>
    public Task<string> ExecAsync(params string[] arguments) => ProcessRun.CheckedAsync([.. ExecPrefix, .. arguments]);

    /// <summary>Runs a command inside the namespace, feeding <paramref name="input"/> to it.</summary>
    public Task<string> ExecWithInputAsync(string input, params string[] arguments) => ProcessRun.CheckedAsync([.. ExecPrefix, .. arguments], input);

    /// <summary>Starts listening on <paramref name="address"/>:<paramref name="port"/> inside the namespace.</summary>
    public TcpListener Listen(IPAddress address, int port) => Inside(() =>
    {
        var listener = new TcpListener(address, port);
        listener.Start();
        return listener;
    });

    /// <summary>
    /// Tries a TCP connection from inside the namespace. Returns true when the handshake completes
    /// within <paramref name="timeout"/>; false when it is refused, unreachable, or dropped (timeout).
    /// </summary>
    public async Task<bool> CanConnectAsync(IPAddress address, int port, TimeSpan timeout)
    {
        using var socket = Inside(() => new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp));
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await socket.ConnectAsync(address, port, cts.Token);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Opens a TCP connection from inside the namespace, for <see cref="SocketsHttpHandler.ConnectCallback"/>
    /// so an HttpClient in the test process talks as a system of this zone.
    /// </summary>
    public async ValueTask<Stream> ConnectStreamAsync(DnsEndPoint endPoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var address = IPAddress.Parse(endPoint.Host);
        var socket = Inside(() => new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp));
        try
        {
            await socket.ConnectAsync(address, endPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="create"/> on a fresh thread that has joined this namespace.</summary>
    public T Inside<T>(Func<T> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        T? result = default;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle($"/var/run/netns/{Name}");
                if (SetNs((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    throw new InvalidOperationException($"setns into {Name} failed: errno {Marshal.GetLastPInvokeError()}");
                }

                result = create();
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        });

        // The thread ends right after creating the object, so its namespace dies with it and no
        // pooled thread ever runs in the wrong namespace.
        thread.Start();
        thread.Join();
        return failure is null ? result! : throw new InvalidOperationException($"Could not act inside namespace {Name}", failure);
    }

    public override string ToString() => Name;

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int nsType);
}

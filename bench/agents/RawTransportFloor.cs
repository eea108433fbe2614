using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using UdcBackup.Agents.Identity;
using UdcBackup.Agents.Tls;

namespace UdcBackup.Agents.Bench;

/// <summary>
/// The floor under <see cref="TransportFloor"/>'s HTTP figures: the same bytes sent over loopback
/// TCP in one process with no HTTP at all, once through <see cref="SslStream"/> with the agents'
/// mutual TLS 1.3 (their certificates, the client options of <see cref="MutualTls"/>) and once in
/// plain TCP. 1 MiB writes, 256 KiB reads, the bytes dropped by the reader. Connection set-up and
/// the TLS handshake happen before the clock starts. No transport over TLS on these cores can cost
/// less than the TLS figure, which is what limits the agents' ratio against a local backup.
/// A third figure prices a transport the agents do not have: plain TCP carrying 1 MiB frames sealed
/// with AES-256-GCM under a key both ends already hold (length, ciphertext, tag; counter nonces),
/// i.e. what encrypting the bytes would cost without TLS's 16 KiB records and its copies, the most
/// that a data channel of the project's own (keyed over the mutual TLS connection) could save.
/// </summary>
internal static class RawTransportFloor
{
    private const int Piece = 1 << 20;
    private const int ReadSize = 256 * 1024;
    private const int LengthSize = 4;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    /// <summary>CPU seconds (user + system, both ends) and wall seconds to send <paramref name="bytes"/>; TLS when <paramref name="ca"/> is given, plain TCP otherwise, sealed frames on plain TCP when <paramref name="sealedFrames"/>.</summary>
    public static async Task<(double Cpu, double Wall)> SendAsync(CertificateAuthority? ca, long bytes, bool sealedFrames = false)
    {
        if (sealedFrames && ca is not null)
        {
            throw new ArgumentException("sealed frames go on plain TCP", nameof(sealedFrames));
        }

        var key = sealedFrames ? RandomNumberGenerator.GetBytes(32) : null;
        using var serverCert = ca?.IssueWithNewKey(new SystemIdentity("floor-media", AgentRole.Media));
        using var clientCert = ca?.IssueWithNewKey(new SystemIdentity("floor-disk", AgentRole.Disk));
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var receiver = key is null ? ReceiveAsync(listener, ca, serverCert, ready) : ReceiveSealedAsync(listener, key, ready);

        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        Stream stream = client.GetStream();
        if (ca is not null)
        {
            var tls = new SslStream(stream);
            var options = MutualTls.CreateClientHandler(clientCert!, ca.Certificate, "floor-media", AgentRole.Media).SslOptions;
            options.TargetHost = "floor-media";
            await tls.AuthenticateAsClientAsync(options);
            stream = tls;
        }

        await ready.Task;
        var piece = RandomNumberGenerator.GetBytes(Piece);
        using var seal = key is null ? null : new AesGcm(key, TagSize);
        var frame = new byte[LengthSize + Piece + TagSize];
        var nonce = new byte[NonceSize];
        var (cpu, clock) = (Cpu(), Stopwatch.StartNew());
        for (long sent = 0, counter = 0; sent < bytes; sent += Piece, counter++)
        {
            var length = (int)Math.Min(Piece, bytes - sent);
            if (seal is null)
            {
                await stream.WriteAsync(piece.AsMemory(0, length));
                continue;
            }

            BinaryPrimitives.WriteInt32LittleEndian(frame, length);
            BinaryPrimitives.WriteInt64LittleEndian(nonce.AsSpan(NonceSize - 8), counter);
            seal.Encrypt(nonce, piece.AsSpan(0, length), frame.AsSpan(LengthSize, length), frame.AsSpan(LengthSize + length, TagSize));
            await stream.WriteAsync(frame.AsMemory(0, LengthSize + length + TagSize));
        }

        if (stream is SslStream ssl)
        {
            await ssl.ShutdownAsync();
        }

        client.Client.Shutdown(SocketShutdown.Send);
        var received = await receiver;
        var result = (Cpu() - cpu, clock.Elapsed.TotalSeconds);
        await stream.DisposeAsync();
        return received == bytes ? result : throw new InvalidOperationException($"the receiver got {received} of {bytes} bytes");
    }

    private static async Task<long> ReceiveAsync(TcpListener listener, CertificateAuthority? ca, X509Certificate2? serverCert, TaskCompletionSource ready)
    {
        using var socket = await listener.AcceptSocketAsync();
        socket.NoDelay = true;
        Stream stream = new NetworkStream(socket, ownsSocket: false);
        if (ca is not null)
        {
            var tls = new SslStream(stream);
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = serverCert,
                EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls13,
                ClientCertificateRequired = true,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    using var peer = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                    return PeerCertificateValidator.Validate(peer, ca.Certificate, CertificateProfile.ClientAuthOid, DateTimeOffset.UtcNow).Valid;
                },
            });
            stream = tls;
        }

        await using (stream)
        {
            ready.SetResult();
            var buffer = new byte[ReadSize];
            long total = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                total += read;
            }

            return total;
        }
    }

    private static async Task<long> ReceiveSealedAsync(TcpListener listener, byte[] key, TaskCompletionSource ready)
    {
        using var socket = await listener.AcceptSocketAsync();
        socket.NoDelay = true;
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        using var open = new AesGcm(key, TagSize);
        ready.SetResult();
        var frame = new byte[Piece + TagSize];
        var nonce = new byte[NonceSize];
        long total = 0;
        for (long counter = 0; ; counter++)
        {
            if (await stream.ReadAtLeastAsync(frame.AsMemory(0, LengthSize), LengthSize, throwOnEndOfStream: false) < LengthSize)
            {
                return total;
            }

            var length = BinaryPrimitives.ReadInt32LittleEndian(frame);
            if (length is <= 0 or > Piece)
            {
                throw new InvalidDataException($"frame length {length}");
            }

            await stream.ReadExactlyAsync(frame.AsMemory(0, length + TagSize));
            BinaryPrimitives.WriteInt64LittleEndian(nonce.AsSpan(NonceSize - 8), counter);
            open.Decrypt(nonce, frame.AsSpan(0, length), frame.AsSpan(length, TagSize), frame.AsSpan(0, length));
            total += length;
        }
    }

    private static double Cpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
}

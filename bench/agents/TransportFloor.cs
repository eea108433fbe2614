using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UdcBackup.Agents.Identity;
using UdcBackup.Agents.Tls;

namespace UdcBackup.Agents.Bench;

/// <summary>
/// What the data path costs before any backup work: the CPU seconds, per GiB, of moving bytes
/// from a client to a server in one process over loopback with the agents' transport (HTTP/2 over
/// mutual TLS 1.3, the same flow-control windows, one request body written in 1 MiB pieces and read
/// in 256 KiB pieces and dropped), and of one SHA-256 pass (entry stream versions 1 and 2 hash each
/// file's content on both sides; version 3 sends a CRC-32C instead). Together they are the floor
/// that the agents pay on top of the archive's own work; <see cref="RawTransportFloor"/> gives the
/// same without HTTP.
/// </summary>
internal static class TransportFloor
{
    private const int Piece = 1 << 20;

    /// <summary>
    /// CPU seconds (user + system, both ends) and wall seconds to send <paramref name="bytes"/>, over
    /// HTTP/2 (the agents' control protocol), HTTP/1.1 with a chunked body, or HTTP/1.1 upgraded to a
    /// raw byte stream (<c>Connection: Upgrade</c>, 101, then the bytes on the TLS connection with
    /// no HTTP framing: Kestrel hands the connection over) on the same mutual TLS.
    /// </summary>
    public static async Task<(double Cpu, double Wall)> TransportAsync(CertificateAuthority ca, long bytes, FloorProtocol protocol = FloorProtocol.Http2)
    {
        var http2 = protocol == FloorProtocol.Http2;
        ArgumentNullException.ThrowIfNull(ca);
        using var serverCert = ca.IssueWithNewKey(new SystemIdentity("floor-media", AgentRole.Media));
        using var clientCert = ca.IssueWithNewKey(new SystemIdentity("floor-disk", AgentRole.Disk));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.Http2.InitialConnectionWindowSize = 16 * 1024 * 1024;
            kestrel.Limits.Http2.InitialStreamWindowSize = 8 * 1024 * 1024;
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = http2 ? HttpProtocols.Http2 : HttpProtocols.Http1;
                listen.UseHttps(https => MutualTls.ConfigureServer(https, serverCert, ca.Certificate));
            });
        });
        await using var app = builder.Build();
        app.MapPut("/sink", async (HttpContext context) =>
        {
            var buffer = new byte[256 * 1024];
            long total = 0;
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                total += read;
            }

            return Results.Text(total.ToString(System.Globalization.CultureInfo.InvariantCulture));
        });
        app.MapPut("/sink-upgrade", async (HttpContext context) =>
        {
            // The length goes first: the upgraded connection has no end-of-body of its own.
            await using var raw = await context.Features.Get<IHttpUpgradeFeature>()!.UpgradeAsync();
            var length = new byte[8];
            await raw.ReadExactlyAsync(length);
            var expected = BitConverter.ToInt64(length);
            var buffer = new byte[256 * 1024];
            long total = 0;
            while (total < expected)
            {
                var read = await raw.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, expected - total)));
                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            await raw.WriteAsync(BitConverter.GetBytes(total));
        });
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        var handler = MutualTls.CreateClientHandler(clientCert, ca.Certificate, "floor-media", AgentRole.Media);
        handler.InitialHttp2StreamWindowSize = 8 * 1024 * 1024;
        using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };

        // One small request first: the handshake and the first calls are not what is measured.
        var version = http2 ? HttpVersion.Version20 : HttpVersion.Version11;
        Func<long, Task<long>> send = protocol == FloorProtocol.Http11Upgrade ? n => SendUpgradedAsync(http, address, n) : n => SendAsync(http, address, n, version);
        await send(Piece);
        var (cpu, clock) = (Cpu(), Stopwatch.StartNew());
        var received = await send(bytes);
        var result = (Cpu() - cpu, clock.Elapsed.TotalSeconds);
        await app.StopAsync();
        return received == bytes ? result : throw new InvalidOperationException($"the sink received {received} of {bytes} bytes");
    }

    /// <summary>CPU seconds of one SHA-256 pass over <paramref name="bytes"/> (1 MiB pieces).</summary>
    public static double Sha256(long bytes)
    {
        var piece = RandomNumberGenerator.GetBytes(Piece);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var cpu = Cpu();
        for (long sent = 0; sent < bytes; sent += Piece)
        {
            hash.AppendData(piece);
        }

        hash.GetHashAndReset();
        return Cpu() - cpu;
    }

    private static async Task<long> SendAsync(HttpClient http, Uri address, long bytes, Version version)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(address, "/sink"))
        {
            Content = new PiecesContent(bytes),
            Version = version,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return long.Parse(await response.Content.ReadAsStringAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<long> SendUpgradedAsync(HttpClient http, Uri address, long bytes)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(address, "/sink-upgrade"))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new System.Net.Http.Headers.ProductHeaderValue("udc-floor"));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode != HttpStatusCode.SwitchingProtocols)
        {
            throw new InvalidOperationException($"the sink answered {(int)response.StatusCode} to the upgrade");
        }

        await using var raw = await response.Content.ReadAsStreamAsync();
        var piece = RandomNumberGenerator.GetBytes(Piece);
        await raw.WriteAsync(BitConverter.GetBytes(bytes));
        for (long sent = 0; sent < bytes; sent += Piece)
        {
            await raw.WriteAsync(piece.AsMemory(0, (int)Math.Min(Piece, bytes - sent)));
        }

        var total = new byte[8];
        await raw.ReadExactlyAsync(total);
        return BitConverter.ToInt64(total);
    }

    private static double Cpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    private sealed class PiecesContent(long bytes) : HttpContent
    {
        private readonly byte[] _piece = RandomNumberGenerator.GetBytes(Piece);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (long sent = 0; sent < bytes; sent += Piece)
            {
                await stream.WriteAsync(_piece.AsMemory(0, (int)Math.Min(Piece, bytes - sent)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}

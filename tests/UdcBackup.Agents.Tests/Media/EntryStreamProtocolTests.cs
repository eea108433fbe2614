using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using UdcBackup.Agents.Disk;
using UdcBackup.Agents.Hosting;
using UdcBackup.Agents.Identity;
using UdcBackup.Agents.Media;
using UdcBackup.Agents.Media.Sessions;
using UdcBackup.Agents.Tls;
using UdcBackup.Agents.Tokens;
using UdcBackup.Archive.Streaming;

namespace UdcBackup.Agents.Tests.Media;

/// <summary>
/// The protocol choice for the bulk data: a disk agent sends the entry stream over HTTP/1.1 when the
/// media agent's open says it takes it (control requests stay HTTP/2), and a disk agent that knows
/// nothing of that (HTTP/2 for everything) is still served. Both go through the same mutual TLS.
/// </summary>
public sealed class EntryStreamProtocolTests : IAsyncLifetime
{
    private LoopbackAgents _agents = null!;

    public async Task InitializeAsync() => _agents = await LoopbackAgents.StartAsync();

    public async Task DisposeAsync() => await _agents.DisposeAsync();

    [Fact]
    public async Task The_stream_goes_over_http11_and_the_control_requests_over_http2()
    {
        File.WriteAllBytes(Path.Combine(_agents.Data, "a.bin"), RandomNumberGenerator.GetBytes(600_000));
        var connections = new List<(Version Version, string Path)>();
        using var credentials = _agents.DiskCredentials();
        var order = _agents.Job(_agents.Token("sys-a", JobDirection.Backup)) with { Paths = [_agents.Data] };
        using (var client = new MediaTransferClient(credentials, _agents.Media.Address, "media-1", connect: async (context, ct) =>
        {
            lock (connections)
            {
                connections.Add((context.InitialRequestMessage.Version, context.InitialRequestMessage.RequestUri!.AbsolutePath));
            }

            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(context.DnsEndPoint, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }))
        {
            var outcome = await client.BackupToSessionAsync(order, new ProgressTracker(), null);
            outcome.Snapshot.Should().NotBeNull();
            outcome.Progress.SentBytes.Should().Be(600_000);
        }

        connections.Should().BeEquivalentTo(new[]
        {
            (HttpVersion.Version20, $"/v1/sessions/{order.JobId}"),
            (HttpVersion.Version11, $"/v1/sessions/{order.JobId}/streams/{MediaTransferClient.DefaultStreamName(order.Paths)}"),
        }, "one HTTP/2 connection carries open and seal, one HTTP/1.1 connection the stream");
    }

    [Fact]
    public async Task A_disk_agent_that_sends_the_stream_over_http2_is_still_served()
    {
        File.WriteAllBytes(Path.Combine(_agents.Data, "b.bin"), RandomNumberGenerator.GetBytes(300_000));
        var token = _agents.Token("sys-a", JobDirection.Backup);
        using var credentials = _agents.DiskCredentials();
        using var http = new HttpClient(MutualTls.CreateClientHandler(credentials.Certificate, credentials.CaCertificate, "media-1", AgentRole.Media));

        var open = await SendAsync(http, HttpMethod.Post, "/v1/sessions/old-1", token, JsonContent.Create(new SessionOpenRequest { Stream = "s1", Paths = [_agents.Data] }, options: JsonSerializerOptions.Web));
        var state = (await open.Content.ReadFromJsonAsync<SessionState>(JsonSerializerOptions.Web))!;
        state.Http11Streams.Should().BeTrue("a disk agent that knows the field may use HTTP/1.1");

        var warnings = new List<string>();
        var stream = await SendAsync(http, HttpMethod.Put, "/v1/sessions/old-1/streams/s1", token, new Http2EntryStream(FileSystemSource.ReadAsync([_agents.Data], warnings, CancellationToken.None)), state.Epoch);
        (await stream.Content.ReadFromJsonAsync<StreamReceipt>(JsonSerializerOptions.Web))!.ReceivedBytes.Should().Be(300_000);

        var seal = await SendAsync(http, HttpMethod.Post, "/v1/sessions/old-1/seal", token, null);
        (await seal.Content.ReadFromJsonAsync<SnapshotInfo>(JsonSerializerOptions.Web))!.System.Should().Be("sys-a");
    }

    private async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string token, HttpContent? content, long? epoch = null)
    {
        var request = new HttpRequestMessage(method, new Uri(_agents.Media.Address, path))
        {
            Content = content,
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Add(AgentHeaders.JobToken, token);
        if (epoch is long value)
        {
            request.Headers.Add(AgentHeaders.SessionEpoch, value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var response = await http.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return response;
    }

    /// <summary>An entry stream body as a disk agent of the previous version wrote it (unbuffered, HTTP/2).</summary>
    private sealed class Http2EntryStream(IAsyncEnumerable<StreamedEntry> entries) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            EntryStreamWriter.WriteAllAsync(entries, stream, CancellationToken.None);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using UdcBackup.Agents.Audit;
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
/// The protocol choice for the bulk data: a disk agent sends the entry stream on an HTTP/1.1
/// connection upgraded to the bare TLS stream when the media agent's open says it takes it (control
/// requests stay HTTP/2), refusals still come before the upgrade as HTTP statuses and later failures
/// as the reply line, and a disk agent that knows nothing of that (HTTP/2 for everything) is still
/// served. All go through the same mutual TLS.
/// </summary>
public sealed class EntryStreamProtocolTests : IAsyncLifetime
{
    private LoopbackAgents _agents = null!;

    public async Task InitializeAsync() => _agents = await LoopbackAgents.StartAsync();

    public async Task DisposeAsync() => await _agents.DisposeAsync();

    [Fact]
    public async Task The_stream_goes_over_an_upgraded_http11_connection_and_the_control_requests_over_http2()
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
        new AuditLog(_agents.MediaOptions.AuditLogPath).ReadAll().Select(a => a.Action).Should()
            .Contain("session.stream.upgrade", "the stream took the upgraded connection")
            .And.NotContain("session.stream", "no stream went as a chunked or HTTP/2 request body");
    }

    [Fact]
    public async Task Refusals_come_before_the_upgrade_and_a_broken_stream_after_it_is_answered_in_the_reply_line()
    {
        var token = _agents.Token("sys-a", JobDirection.Backup);
        using var credentials = _agents.DiskCredentials();
        using var http = new HttpClient(MutualTls.CreateClientHandler(credentials.Certificate, credentials.CaCertificate, "media-1", AgentRole.Media));
        var open = await SendAsync(http, HttpMethod.Post, "/v1/sessions/up-1", token, JsonContent.Create(new SessionOpenRequest { Stream = "s1", Paths = [_agents.Data] }, options: JsonSerializerOptions.Web));
        var state = (await open.Content.ReadFromJsonAsync<SessionState>(JsonSerializerOptions.Web))!;
        state.UpgradeStreams.Should().BeTrue();

        using (var stale = await UpgradeAsync(http, "/v1/sessions/up-1/streams/s1", token, state.Epoch + 1))
        {
            stale.StatusCode.Should().Be(HttpStatusCode.Conflict, "a stale epoch is refused as before, not after a 101");
        }

        using (var unknown = await UpgradeAsync(http, "/v1/sessions/up-1/streams/s2", token, state.Epoch))
        {
            unknown.StatusCode.Should().Be(HttpStatusCode.Conflict, "a stream that was not opened is refused before the upgrade");
        }

        using (var wrongSystem = await UpgradeAsync(http, "/v1/sessions/up-1/streams/s1", _agents.Token("sys-b", JobDirection.Backup), state.Epoch))
        {
            wrongSystem.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        }

        using var upgraded = await UpgradeAsync(http, "/v1/sessions/up-1/streams/s1", token, state.Epoch);
        upgraded.StatusCode.Should().Be(HttpStatusCode.SwitchingProtocols);
        await using var connection = await upgraded.Content.ReadAsStreamAsync();
        await connection.WriteAsync("not an entry stream"u8.ToArray());
        await connection.FlushAsync();
        using var reader = new StreamReader(connection);
        var reply = JsonSerializer.Deserialize<StreamReply>((await reader.ReadLineAsync())!, JsonSerializerOptions.Web)!;
        reply.Status.Should().Be(400);
        reply.Receipt.Should().BeNull();
        reply.Detail.Should().Contain("not an entry stream");
        (await reader.ReadLineAsync()).Should().BeNull("the media agent closes the connection after its reply");

        var audit = new AuditLog(_agents.MediaOptions.AuditLogPath).ReadAll();
        audit.Should().Contain(a => a.Action == "session.stream.upgrade" && a.Decision == AuditDecision.Refused, "the wrong system's upgrade was refused and audited");
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

    private Task<HttpResponseMessage> UpgradeAsync(HttpClient http, string path, string token, long epoch) =>
        http.SendAsync(MediaTransferClient.StreamUpgradeRequest(new Uri(_agents.Media.Address, path), token, epoch), HttpCompletionOption.ResponseHeadersRead);

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

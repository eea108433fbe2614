using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using UdcBackup.Agents.Disk;
using UdcBackup.Agents.Hosting;
using UdcBackup.Agents.Identity;
using UdcBackup.Agents.Media;
using UdcBackup.Agents.Media.Sessions;
using UdcBackup.Agents.Tls;
using UdcBackup.Agents.Tokens;
using UdcBackup.Archive.Repository;
using UdcBackup.Archive.Streaming;

namespace UdcBackup.Agents.Tests.Media;

/// <summary>
/// Entry stream version 3 (CRC-32C check values) between the agents: the media agent announces it
/// at session open and refuses a version 3 stream with one content byte changed (nothing
/// committed); a disk agent of the version 2 era is still served. A restore answers in the version
/// the disk agent's header allows, version 1 without it.
/// </summary>
public sealed class TransitChecksumTests : IAsyncLifetime
{
    private LoopbackAgents _agents = null!;

    public async Task InitializeAsync()
    {
        _agents = await LoopbackAgents.StartAsync();
        File.WriteAllBytes(Path.Combine(_agents.Data, "a.bin"), RandomNumberGenerator.GetBytes(700_000));
    }

    public async Task DisposeAsync() => await _agents.DisposeAsync();

    [Fact]
    public async Task A_version_3_stream_with_one_content_byte_changed_is_refused_and_nothing_is_committed()
    {
        var token = _agents.Token("sys-a", JobDirection.Backup);
        var open = await OpenAsync("job-1", token);
        open.EntryStreamVersion.Should().Be(3);
        MediaTransferClient.EntryStreamVersionFor(open).Should().Be(3, "the disk agent writes the highest version both know");

        var wire = await WireAsync(3);
        wire[wire.Length / 2] ^= 0x01; // inside a.bin's data frame: the framing still parses

        using var response = await SendAsync(HttpMethod.Put, "/v1/sessions/job-1/streams/s1", token, new ByteArrayContent(wire), open.Epoch);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, text);
        text.Should().Contain("CRC-32C");

        using var seal = await SendAsync(HttpMethod.Post, "/v1/sessions/job-1/seal", token, null);
        seal.StatusCode.Should().NotBe(HttpStatusCode.OK, "the refused stream left nothing to seal");
        using var repository = ArchiveRepository.Open(_agents.MediaOptions.RepositoryPath, "pw");
        repository.ListSnapshots().Should().BeEmpty();
    }

    [Fact]
    public async Task A_disk_agent_that_writes_version_2_is_still_served()
    {
        var token = _agents.Token("sys-a", JobDirection.Backup);
        var open = await OpenAsync("job-1", token);
        var previous = open with { EntryStreamVersion = 2 };
        MediaTransferClient.EntryStreamVersionFor(previous).Should().Be(2, "a media agent of the version 2 era gets version 2");

        using var response = await SendAsync(HttpMethod.Put, "/v1/sessions/job-1/streams/s1", token, new ByteArrayContent(await WireAsync(2)), open.Epoch);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        (await response.Content.ReadFromJsonAsync<StreamReceipt>(JsonSerializerOptions.Web))!.ReceivedBytes.Should().Be(700_000);
    }

    [Fact]
    public async Task A_restore_is_answered_in_the_version_the_disk_agent_reads()
    {
        var outcome = await BackupAsync(_agents.Job(_agents.Token("sys-a", JobDirection.Backup)) with { Paths = [_agents.Data], Seal = true });
        var restoreToken = _agents.Token("sys-a", JobDirection.Restore, snapshot: outcome.Snapshot!.Id, job: "job-2");

        (await RestoreVersionAsync(restoreToken, "3")).Should().Be(3);
        (await RestoreVersionAsync(restoreToken, "9")).Should().Be(3, "a later disk agent gets the newest version this media agent writes");
        (await RestoreVersionAsync(restoreToken, "2")).Should().Be(2);
        (await RestoreVersionAsync(restoreToken, null)).Should().Be(1, "a disk agent that does not say gets version 1");
        (await RestoreVersionAsync(restoreToken, "x")).Should().Be(1);

        // The disk agent's own restore asks for version 3 and restores byte-exact.
        using var credentials = _agents.DiskCredentials();
        using var client = new MediaTransferClient(credentials, _agents.Media.Address, "media-1");
        await client.RestoreAsync(restoreToken, new UdcBackup.Archive.Restore.RestoreOptions { Target = _agents.Restore });
        File.ReadAllBytes(Path.Combine(_agents.Restore, _agents.Data.TrimStart('/'), "a.bin")).Should().Equal(File.ReadAllBytes(Path.Combine(_agents.Data, "a.bin")));
    }

    /// <summary>The version byte of the restore answer to a GET with the given version header.</summary>
    private async Task<int> RestoreVersionAsync(string token, string? header)
    {
        using var response = await SendAsync(HttpMethod.Get, "/v1/restore", token, null, versionHeader: header);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.Content.ReadAsByteArrayAsync();
        body.AsSpan(0, 4).SequenceEqual("UDCE"u8).Should().BeTrue();
        return body[4];
    }

    private async Task<byte[]> WireAsync(int version)
    {
        using var wire = new MemoryStream();
        await EntryStreamWriter.WriteAllAsync(FileSystemSource.ReadAsync([_agents.Data], []), wire, version, CancellationToken.None);
        return wire.ToArray();
    }

    private async Task<BackupStreamResult> BackupAsync(TransferJobRequest order)
    {
        using var credentials = _agents.DiskCredentials();
        using var client = new MediaTransferClient(credentials, _agents.Media.Address, "media-1");
        return await client.BackupToSessionAsync(order, new ProgressTracker(), null);
    }

    private async Task<SessionState> OpenAsync(string job, string token)
    {
        using var response = await SendAsync(HttpMethod.Post, $"/v1/sessions/{job}", token, JsonContent.Create(new SessionOpenRequest { Stream = "s1", Paths = [_agents.Data] }, options: JsonSerializerOptions.Web));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<SessionState>(JsonSerializerOptions.Web))!;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, HttpContent? content, long? epoch = null, string? versionHeader = null)
    {
        using var credentials = _agents.DiskCredentials();
        var http = new HttpClient(MutualTls.CreateClientHandler(credentials.Certificate, credentials.CaCertificate, "media-1", AgentRole.Media));
        using var request = new HttpRequestMessage(method, new Uri(_agents.Media.Address, path)) { Content = content, Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        request.Headers.Add(AgentHeaders.JobToken, token);
        if (epoch is long value)
        {
            request.Headers.Add(AgentHeaders.SessionEpoch, value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (versionHeader is not null)
        {
            request.Headers.Add(AgentHeaders.EntryStreamVersion, versionHeader);
        }

        // The response is read by the caller after this client is gone: buffer it here.
        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        http.Dispose();
        return response;
    }
}

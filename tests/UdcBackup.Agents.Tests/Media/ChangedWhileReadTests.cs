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
using UdcBackup.Archive.Repository;
using UdcBackup.Archive.Snapshots;
using UdcBackup.Archive.Streaming;

namespace UdcBackup.Agents.Tests.Media;

/// <summary>
/// A file rewritten while the disk agent streams it, over the loopback agents: the disk agent's
/// connection is held after a set number of bytes (so the rewrite lands half-way through the file's
/// content, not by a race), the file is rewritten, and the stream goes on. The media agent stores
/// it marked and warns; the next incremental is told not to skip it. Old peers keep working.
/// </summary>
public sealed class ChangedWhileReadTests : IAsyncLifetime
{
    private const int ChangingSize = 6 << 20;
    private static readonly DateTime LongAgo = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private LoopbackAgents _agents = null!;
    private byte[] _original = [];

    private string Changing => Path.Combine(_agents.Data, "db.bin");

    public async Task InitializeAsync()
    {
        _agents = await LoopbackAgents.StartAsync();

        // An old mtime, so the rewrite's mtime differs even within one tick of the file system's clock.
        _original = RandomNumberGenerator.GetBytes(ChangingSize);
        File.WriteAllBytes(Changing, _original);
        File.SetLastWriteTimeUtc(Changing, LongAgo);
        for (var i = 0; i < 3; i++)
        {
            File.WriteAllBytes(Path.Combine(_agents.Data, $"quiet-{i}.bin"), RandomNumberGenerator.GetBytes(300_000));
        }
    }

    public async Task DisposeAsync() => await _agents.DisposeAsync();

    [Fact]
    public async Task A_file_rewritten_while_streamed_is_marked_warned_audited_and_read_again_by_the_next_incremental()
    {
        var order = _agents.Job(_agents.Token("sys-a", JobDirection.Backup)) with { Paths = [_agents.Data] };
        var tracker = new ProgressTracker();
        var outcome = await StreamRewritingAsync(order, tracker, RandomNumberGenerator.GetBytes(ChangingSize));

        outcome.Warnings.Should().ContainSingle().Which.Should().Contain("db.bin").And.Contain("changed while it was read");
        outcome.Progress.ChangedFiles.Should().Be(1);
        var snapshot = FindSnapshot(outcome.Snapshot!.Id);
        snapshot.Summary.Warnings.Should().ContainSingle().Which.Should().Contain("db.bin").And.Contain("changed while it was read");
        var entry = Entries(snapshot).Single(e => e.Path.EndsWith("db.bin", StringComparison.Ordinal));
        entry.ChangedDuringBackup.Should().BeTrue();
        entry.ModifiedNs.Should().Be(new DateTimeOffset(LongAgo).ToUnixTimeMilliseconds() * 1_000_000, "the stat from before the read is kept");
        Entries(snapshot).Where(e => e.Path.Contains("quiet-", StringComparison.Ordinal)).Should().OnlyContain(e => !e.ChangedDuringBackup);
        new AuditLog(_agents.MediaOptions.AuditLogPath).ReadAll().Should().ContainSingle(a => a.Action == "session.stream.changed")
            .Which.Reason.Should().Contain("db.bin").And.Contain("1 file(s)");

        // The next incremental's open does not offer the marked file as held, whatever its stat.
        var open = await OpenAsync("job-2", "incremental");
        open.Held.Select(h => Path.GetFileName(h.Path)).Should().BeEquivalentTo(["quiet-0.bin", "quiet-1.bin", "quiet-2.bin"]);

        var next = await BackupAsync(_agents.Job(_agents.Token("sys-a", JobDirection.Backup, job: "job-3"), "job-3") with { Paths = [_agents.Data], Level = "incremental" });
        next.Progress.SentBytes.Should().Be(ChangingSize, "db.bin is read again, the quiet files are taken from the parent");
        next.Warnings.Should().BeEmpty();
        Entries(FindSnapshot(next.Snapshot!.Id)).Should().OnlyContain(e => !e.ChangedDuringBackup);

        var target = Path.Combine(_agents.Restore, "after");
        TransferLines.Result(await TransferLines.PostAsync(_agents.Controller, new Uri(_agents.Disk.Address, "/v1/jobs/restore"), _agents.Job(_agents.Token("sys-a", JobDirection.Restore, next.Snapshot.Id, "job-3"), "job-3") with { Target = target }));
        TreeAssert.Identical(_agents.Data, Path.Combine(target, _agents.Data.TrimStart('/')));
    }

    [Fact]
    public async Task A_media_agent_restarted_before_the_seal_seals_the_marked_file_without_a_resend()
    {
        // Every chunk of the session is already in the repository (an earlier backup, and db.bin
        // rewritten with its own bytes), so the restarted media agent holds the whole stream.
        await BackupAsync(_agents.Job(_agents.Token("sys-a", JobDirection.Backup, job: "job-0"), "job-0") with { Paths = [_agents.Data] });
        var order = _agents.Job(_agents.Token("sys-a", JobDirection.Backup)) with { Paths = [_agents.Data], Seal = false };
        var streamed = await StreamRewritingAsync(order, new ProgressTracker(), _original);
        streamed.Warnings.Should().ContainSingle().Which.Should().Contain("db.bin");
        streamed.Snapshot.Should().BeNull();

        await _agents.RestartMediaAsync();
        var sealedOnly = await BackupAsync(order with { Paths = [], Seal = true });

        var snapshot = FindSnapshot(sealedOnly.Snapshot!.Id);
        snapshot.Summary.Warnings.Should().ContainSingle().Which.Should().Contain("db.bin");
        Entries(snapshot).Single(e => e.Path.EndsWith("db.bin", StringComparison.Ordinal)).ChangedDuringBackup.Should().BeTrue();
    }

    [Fact]
    public async Task A_disk_agent_of_the_previous_version_sends_version_1_and_is_served_without_marks()
    {
        var token = _agents.Token("sys-a", JobDirection.Backup);
        var open = await OpenAsync("job-1", "full", token);
        open.EntryStreamVersion.Should().Be(3);

        // A previous disk agent writes version 1 whatever the open says; the media agent reads it.
        var body = new EntryStreamBody(FileSystemSource.ReadAsync([_agents.Data], []), 1);
        var receipt = JsonSerializer.Deserialize<StreamReceipt>(await SendAsync(HttpMethod.Put, "/v1/sessions/job-1/streams/s1", token, body, open.Epoch), JsonSerializerOptions.Web)!;
        receipt.ReceivedBytes.Should().Be(ChangingSize + (3 * 300_000));
        receipt.Changed.Should().BeEmpty();
        await SendAsync(HttpMethod.Post, "/v1/sessions/job-1/seal", token, null);
    }

    [Fact]
    public void A_media_agent_of_the_previous_version_gets_version_1()
    {
        var previous = JsonSerializer.Deserialize<SessionState>("""{"sessionId":"s","epoch":1,"level":"full","parentSnapshotId":null,"http11Streams":true,"stream":{"name":"s1","heldFiles":0,"heldBytes":0},"held":[],"sealedSnapshot":null}""", JsonSerializerOptions.Web)!;
        MediaTransferClient.EntryStreamVersionFor(previous).Should().Be(1);
        MediaTransferClient.EntryStreamVersionFor(previous with { EntryStreamVersion = 2 }).Should().Be(2);
        MediaTransferClient.EntryStreamVersionFor(previous with { EntryStreamVersion = 9 }).Should().Be(3, "a later media agent gets the newest version this disk agent writes");
    }

    /// <summary>Backs up through a connection held after 2 MiB of the stream while db.bin is rewritten with <paramref name="content"/> (same size).</summary>
    private async Task<BackupStreamResult> StreamRewritingAsync(TransferJobRequest order, ProgressTracker tracker, byte[] content)
    {
        var gate = new StreamGate(holdAfter: 2 << 20);
        using var credentials = _agents.DiskCredentials();
        using var client = new MediaTransferClient(credentials, _agents.Media.Address, "media-1", connect: gate.ConnectAsync);
        var backup = client.BackupToSessionAsync(order, tracker, null);
        var first = await Task.WhenAny(gate.Holding, backup);
        first.Should().BeSameAs(gate.Holding, "the stream reaches 2 MiB inside db.bin's 6 MiB");
        using (var handle = File.OpenHandle(Changing, FileMode.Open, FileAccess.Write))
        {
            RandomAccess.Write(handle, content, 0);
        }

        gate.Release();
        return await backup;
    }

    private async Task<BackupStreamResult> BackupAsync(TransferJobRequest order)
    {
        using var credentials = _agents.DiskCredentials();
        using var client = new MediaTransferClient(credentials, _agents.Media.Address, "media-1");
        return await client.BackupToSessionAsync(order, new ProgressTracker(), null);
    }

    private async Task<SessionState> OpenAsync(string job, string level, string? token = null)
    {
        token ??= _agents.Token("sys-a", JobDirection.Backup, job: job);
        var answer = await SendAsync(HttpMethod.Post, $"/v1/sessions/{job}", token, JsonContent.Create(new SessionOpenRequest { Stream = "s1", Paths = [_agents.Data], Level = level }, options: JsonSerializerOptions.Web));
        return JsonSerializer.Deserialize<SessionState>(answer, JsonSerializerOptions.Web)!;
    }

    /// <summary>Sends one request as the disk agent and answers the 200 response's body.</summary>
    private async Task<string> SendAsync(HttpMethod method, string path, string token, HttpContent? content, long? epoch = null)
    {
        using var credentials = _agents.DiskCredentials();
        using var http = new HttpClient(MutualTls.CreateClientHandler(credentials.Certificate, credentials.CaCertificate, "media-1", AgentRole.Media));
        using var request = new HttpRequestMessage(method, new Uri(_agents.Media.Address, path)) { Content = content, Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        request.Headers.Add(AgentHeaders.JobToken, token);
        if (epoch is long value)
        {
            request.Headers.Add(AgentHeaders.SessionEpoch, value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, text);
        return text;
    }

    private Snapshot FindSnapshot(string id)
    {
        using var repository = ArchiveRepository.Open(_agents.MediaOptions.RepositoryPath, "pw");
        return repository.FindSnapshot(id);
    }

    private List<ArchiveEntry> Entries(Snapshot snapshot)
    {
        using var repository = ArchiveRepository.Open(_agents.MediaOptions.RepositoryPath, "pw");
        return SnapshotReader.ReadEntries(repository, snapshot).ToList();
    }

    /// <summary>An entry stream body in a chosen version (HTTP/2, as the previous disk agent sent it).</summary>
    private sealed class EntryStreamBody(IAsyncEnumerable<StreamedEntry> entries, int version) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            EntryStreamWriter.WriteAllAsync(entries, stream, version, CancellationToken.None);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    /// <summary>Holds the writes of the entry stream's connection once it has carried a number of bytes, until released.</summary>
    private sealed class StreamGate(long holdAfter)
    {
        private readonly long _holdAfter = holdAfter;
        private readonly TaskCompletionSource _holding = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _written;

        public Task Holding => _holding.Task;

        public void Release() => _released.TrySetResult();

        public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
        {
            var network = await InterceptedConnectionStream.OpenAsync(context, ct);
            return context.InitialRequestMessage.RequestUri!.AbsolutePath.Contains("/streams/", StringComparison.Ordinal) ? new InterceptedConnectionStream(network, HoldAsync) : network;
        }

        private async ValueTask HoldAsync(InterceptedConnectionStream connection, ReadOnlyMemory<byte> buffer, CancellationToken ct)
        {
            if (Interlocked.Add(ref _written, buffer.Length) > _holdAfter)
            {
                _holding.TrySetResult();
                await _released.Task.WaitAsync(ct);
            }
        }
    }
}

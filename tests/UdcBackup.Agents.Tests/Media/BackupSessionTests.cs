using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using UdcBackup.Agents.Disk;
using UdcBackup.Agents.Identity;
using UdcBackup.Agents.Media;
using UdcBackup.Agents.Tls;
using UdcBackup.Agents.Tokens;
using UdcBackup.Archive.Restore;

namespace UdcBackup.Agents.Tests.Media;

/// <summary>
/// Backup sessions on loopback: several streams sealed into one snapshot, incrementals that send
/// only changed files, and a transfer cut half-way that resumes without re-sending what arrived.
/// </summary>
public sealed class BackupSessionTests : IAsyncLifetime
{
    private LoopbackAgents _agents = null!;

    public async Task InitializeAsync() => _agents = await LoopbackAgents.StartAsync();

    public async Task DisposeAsync() => await _agents.DisposeAsync();

    [Fact]
    public async Task Two_streams_of_a_session_are_sealed_into_one_snapshot_tagged_with_the_tokens_identity()
    {
        Directory.CreateDirectory(Path.Combine(_agents.Data, "db"));
        Directory.CreateDirectory(Path.Combine(_agents.Data, "label"));
        File.WriteAllBytes(Path.Combine(_agents.Data, "db", "table.bin"), RandomNumberGenerator.GetBytes(1_500_000));
        var token = _agents.Token("sys-a", JobDirection.Backup);

        // The data sets go first, unsealed; the label folder (written by post-backup) follows and seals.
        var first = TransferLines.Result(await Backup(_agents.Job(token) with { Paths = [Path.Combine(_agents.Data, "db")], SessionId = "job-1.sys-a", Seal = false }));
        first.Backup!.Snapshot.Should().BeNull();
        first.Backup.Progress.SentBytes.Should().Be(1_500_000);
        File.WriteAllText(Path.Combine(_agents.Data, "label", "backup_label"), "START WAL LOCATION: 0/2000028");
        var second = TransferLines.Result(await Backup(_agents.Job(token) with { Paths = [Path.Combine(_agents.Data, "label")], SessionId = "job-1.sys-a" }));

        var snapshot = second.Backup!.Snapshot!;
        snapshot.System.Should().Be("sys-a");
        snapshot.Tags.Should().Contain(new Dictionary<string, string> { ["system"] = "sys-a", ["job"] = "job-1", ["level"] = "full", ["session"] = "job-1.sys-a" });
        (await ListSnapshots()).Should().ContainSingle().Which.Id.Should().Be(snapshot.Id);

        var target = Path.Combine(_agents.Restore, "both");
        var restore = TransferLines.Result(await Restore(_agents.Job(_agents.Token("sys-a", JobDirection.Restore, snapshot.Id)) with { Target = target }));
        restore.Restore!.FilesRestored.Should().Be(2);
        TreeAssert.Identical(_agents.Data, Path.Combine(target, _agents.Data.TrimStart('/')));
    }

    [Fact]
    public async Task A_seal_only_order_seals_what_earlier_streams_sent()
    {
        Directory.CreateDirectory(Path.Combine(_agents.Data, "db"));
        Directory.CreateDirectory(Path.Combine(_agents.Data, "wal"));
        File.WriteAllBytes(Path.Combine(_agents.Data, "db", "table.bin"), RandomNumberGenerator.GetBytes(700_000));
        File.WriteAllBytes(Path.Combine(_agents.Data, "wal", "000001"), RandomNumberGenerator.GetBytes(300_000));
        var token = _agents.Token("sys-a", JobDirection.Backup);
        foreach (var set in new[] { "db", "wal" })
        {
            var sent = TransferLines.Result(await Backup(_agents.Job(token) with { Paths = [Path.Combine(_agents.Data, set)], SessionId = "job-1.sys-a", Seal = false }));
            sent.Backup!.Snapshot.Should().BeNull();
        }

        // The controller seals once its data sets are in: no paths, no stream of its own.
        var seal = TransferLines.Result(await Backup(_agents.Job(token) with { Paths = [], SessionId = "job-1.sys-a", Seal = true }));
        var snapshot = seal.Backup!.Snapshot!;
        seal.Backup.Sealed.Should().BeTrue();
        seal.Backup.Progress.SentBytes.Should().Be(0);
        (await ListSnapshots()).Should().ContainSingle().Which.Id.Should().Be(snapshot.Id);

        var target = Path.Combine(_agents.Restore, "sealed");
        TransferLines.Result(await Restore(_agents.Job(_agents.Token("sys-a", JobDirection.Restore, snapshot.Id)) with { Target = target }));
        TreeAssert.Identical(_agents.Data, Path.Combine(target, _agents.Data.TrimStart('/')));

        // A seal of a session nothing was sent to is refused with the media agent's status, not a stream error.
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_agents.Disk.Address, "/v1/jobs/backup"))
        {
            Content = JsonContent.Create(_agents.Job(token) with { Paths = [], SessionId = "never-opened", Seal = true }, options: JsonSerializerOptions.Web),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var refused = await _agents.Controller.SendAsync(request);
        refused.StatusCode.Should().Be(HttpStatusCode.NotFound, await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_incremental_sends_only_what_changed_since_its_parent()
    {
        for (var i = 0; i < 10; i++)
        {
            File.WriteAllBytes(Path.Combine(_agents.Data, $"f{i}.bin"), RandomNumberGenerator.GetBytes(300_000));
        }

        var full = TransferLines.Result(await Backup(_agents.Job(_agents.Token("sys-a", JobDirection.Backup)) with { Paths = [_agents.Data] }));
        File.WriteAllBytes(Path.Combine(_agents.Data, "f3.bin"), RandomNumberGenerator.GetBytes(300_000));

        var token = _agents.Token("sys-a", JobDirection.Backup, job: "job-2");
        var incremental = TransferLines.Result(await Backup(_agents.Job(token, "job-2") with { Paths = [_agents.Data], Level = "incremental" }));

        var progress = incremental.Backup!.Progress;
        progress.SentBytes.Should().Be(300_000, "only the changed file crosses the network");
        progress.ResumedFiles.Should().Be(9);
        incremental.Backup.Snapshot!.Tags.Should().Contain("level", "incremental");
        incremental.Backup.Snapshot.Id.Should().NotBe(full.Backup!.Snapshot!.Id);

        var target = Path.Combine(_agents.Restore, "incremental");
        TransferLines.Result(await Restore(_agents.Job(_agents.Token("sys-a", JobDirection.Restore, incremental.Backup.Snapshot.Id, "job-2"), "job-2") with { Target = target }));
        TreeAssert.Identical(_agents.Data, Path.Combine(target, _agents.Data.TrimStart('/')));
    }

    [Fact]
    public async Task An_incremental_after_the_systems_newest_snapshot_file_was_damaged_runs_from_the_newest_readable_one()
    {
        for (var i = 0; i < 10; i++)
        {
            File.WriteAllBytes(Path.Combine(_agents.Data, $"f{i}.bin"), RandomNumberGenerator.GetBytes(300_000));
        }

        TransferLines.Result(await Backup(_agents.Job(_agents.Token("sys-a", JobDirection.Backup)) with { Paths = [_agents.Data] }));
        File.WriteAllBytes(Path.Combine(_agents.Data, "f3.bin"), RandomNumberGenerator.GetBytes(300_000));
        var newest = TransferLines.Result(await Backup(_agents.Job(_agents.Token("sys-a", JobDirection.Backup, job: "job-2"), "job-2") with { Paths = [_agents.Data] }));
        var file = Path.Combine(_agents.MediaOptions.RepositoryPath, "snapshots", newest.Backup!.Snapshot!.Id);
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[bytes.Length / 2] ^= 0x5a;
        await File.WriteAllBytesAsync(file, bytes);

        var token = _agents.Token("sys-a", JobDirection.Backup, job: "job-3");
        var incremental = TransferLines.Result(await Backup(_agents.Job(token, "job-3") with { Paths = [_agents.Data], Level = "incremental" }));

        incremental.Backup!.Progress.SentBytes.Should().Be(300_000, "the parent is the first backup, the newest readable one: only f3 changed since");
        incremental.Backup.Snapshot!.Tags.Should().Contain("level", "incremental");
    }

    [Fact]
    public async Task A_transfer_cut_half_way_resumes_without_resending_what_arrived()
    {
        const int files = 24;
        const int size = 2_000_000;
        for (var i = 0; i < files; i++)
        {
            File.WriteAllBytes(Path.Combine(_agents.Data, $"part-{i:00}.bin"), RandomNumberGenerator.GetBytes(size));
        }

        const long total = (long)files * size;
        var order = _agents.Job(_agents.Token("sys-a", JobDirection.Backup)) with { Paths = [_agents.Data], SessionId = "job-1.sys-a" };
        using var credentials = _agents.DiskCredentials();

        // Attempt 1: the connection is cut after half of the data went out.
        var cut = new WireMeter(cutAfter: total / 2);
        using (var client = new MediaTransferClient(credentials, _agents.Media.Address, "media-1", connect: cut.ConnectAsync))
        {
            var attempt = () => client.BackupToSessionAsync(order, new ProgressTracker(), null);
            await attempt.Should().ThrowAsync<Exception>();
        }

        cut.Written.Should().BeGreaterThan(total / 2);

        // Attempt 2: the media agent names what it holds; only the rest is sent.
        var meter = new WireMeter(cutAfter: long.MaxValue);
        TransferCounters? resume = null;
        BackupStreamResult outcome;
        using (var client = new MediaTransferClient(credentials, _agents.Media.Address, "media-1", connect: meter.ConnectAsync))
        {
            outcome = await client.BackupToSessionAsync(order, new ProgressTracker(), r => Task.FromResult(resume = r));
        }

        resume!.ResumedBytes.Should().BeGreaterThan(total / 3, "the files that arrived before the cut are held");
        outcome.Progress.ResumedBytes.Should().Be(resume.ResumedBytes);
        outcome.Progress.SentBytes.Should().Be(total - resume.ResumedBytes);
        meter.Written.Should().BeLessThan((long)(total * 0.65), "the second attempt sends only what the media agent lacks (bytes measured on the wire)");

        var target = Path.Combine(_agents.Restore, "resumed");
        TransferLines.Result(await Restore(_agents.Job(_agents.Token("sys-a", JobDirection.Restore, outcome.Snapshot!.Id)) with { Target = target }));
        TreeAssert.Identical(_agents.Data, Path.Combine(target, _agents.Data.TrimStart('/')));
    }

    [Fact]
    public async Task A_session_with_an_unfinished_stream_is_not_sealed()
    {
        File.WriteAllBytes(Path.Combine(_agents.Data, "big.bin"), RandomNumberGenerator.GetBytes(4_000_000));
        var order = _agents.Job(_agents.Token("sys-a", JobDirection.Backup)) with { Paths = [_agents.Data], SessionId = "s-1" };
        using var credentials = _agents.DiskCredentials();
        using (var client = new MediaTransferClient(credentials, _agents.Media.Address, "media-1", connect: new WireMeter(cutAfter: 1_000_000).ConnectAsync))
        {
            await FluentActions.Awaiting(() => client.BackupToSessionAsync(order, new ProgressTracker(), null)).Should().ThrowAsync<Exception>();
        }

        using var sealer = new MediaTransferClient(credentials, _agents.Media.Address, "media-1");
        var seal = () => sealer.BackupToSessionAsync(order with { Paths = [] }, new ProgressTracker(), null);
        (await seal.Should().ThrowAsync<MediaTransferRefusedException>()).Which.Status.Should().Be(HttpStatusCode.Conflict);
        (await ListSnapshots()).Should().BeEmpty();
    }

    private Task<List<TransferLine>> Backup(TransferJobRequest order) => TransferLines.PostAsync(_agents.Controller, new Uri(_agents.Disk.Address, "/v1/jobs/backup"), order);

    private Task<List<TransferLine>> Restore(TransferJobRequest order) => TransferLines.PostAsync(_agents.Controller, new Uri(_agents.Disk.Address, "/v1/jobs/restore"), order);

    private async Task<List<SnapshotInfo>> ListSnapshots()
    {
        using var cert = _agents.Ca.IssueWithNewKey(new SystemIdentity("cm-1", AgentRole.Controller));
        using var http = new HttpClient(MutualTls.CreateClientHandler(cert, _agents.Ca.Certificate, "media-1", AgentRole.Media))
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        return (await http.GetFromJsonAsync<List<SnapshotInfo>>(new Uri(_agents.Media.Address, "/v1/snapshots"), JsonSerializerOptions.Web))!;
    }

    /// <summary>Counts the bytes a client writes to its TCP connections and cuts them after a limit.</summary>
    private sealed class WireMeter(long cutAfter)
    {
        private long _written;

        public long CutAfter { get; } = cutAfter;

        public long Written => Interlocked.Read(ref _written);

        public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct) =>
            new InterceptedConnectionStream(await InterceptedConnectionStream.OpenAsync(context, ct), BeforeWrite, AfterWrite);

        private ValueTask BeforeWrite(InterceptedConnectionStream connection, ReadOnlyMemory<byte> buffer, CancellationToken ct)
        {
            if (Interlocked.Add(ref _written, buffer.Length) - buffer.Length > CutAfter)
            {
                connection.Socket.Close(); // the cable is pulled: the peer sees the connection die mid-stream
                throw new IOException("connection cut by the test");
            }

            return ValueTask.CompletedTask;
        }

        private void AfterWrite(InterceptedConnectionStream connection)
        {
            if (Written > CutAfter)
            {
                connection.Socket.Close();
            }
        }
    }
}

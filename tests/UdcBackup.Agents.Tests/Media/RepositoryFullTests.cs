using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using UdcBackup.Agents.Audit;
using UdcBackup.Agents.Disk;
using UdcBackup.Agents.Hosting;
using UdcBackup.Agents.Identity;
using UdcBackup.Agents.Media.Sessions;
using UdcBackup.Agents.Tls;
using UdcBackup.Agents.Tokens;
using UdcBackup.Archive.Repository;
using UdcBackup.Testing;

namespace UdcBackup.Agents.Tests.Media;

/// <summary>
/// The media agent's repository on a small tmpfs that fills up: the media agent answers 507 with
/// the problem type <see cref="AgentProblemTypes.NoSpace"/> and the archive's message naming the
/// full repository, as problem details on a plain request (a session open that finds no inode for
/// the repository lock) and in the reply line of an upgraded entry stream (the packs fill the file
/// system midway), audits the request as failed, and the disk agent passes status and type on to
/// the controller, which does not retry it. Once space is freed the same order completes.
/// </summary>
public sealed class RepositoryFullTests : IAsyncLifetime
{
    private LoopbackAgents _agents = null!;
    private Tmpfs _tmpfs = null!;

    private string Repository => Path.Combine(_tmpfs.Path, "repo");

    public async Task InitializeAsync()
    {
        Requirements.Root("the repository lies on a tmpfs mounted for the test");
        _agents = await LoopbackAgents.StartAsync();

        // Outside the agents' temp folder, so it is unmounted only after the media agent stopped.
        _tmpfs = new Tmpfs(Directory.CreateTempSubdirectory("udc-full-").FullName, "size=4m");
        ArchiveRepository.Init(Repository, "pw", kdfIterations: 1000).Dispose();
        _agents.MediaOptions.RepositoryPath = Repository;
        await _agents.RestartMediaAsync();
    }

    public async Task DisposeAsync()
    {
        await _agents.DisposeAsync();
        _tmpfs.Dispose();
        Directory.Delete(_tmpfs.Path, recursive: true);
    }

    [Fact]
    public async Task A_session_open_on_a_full_repository_is_answered_507_no_space_and_the_disk_agent_passes_it_on()
    {
        await File.WriteAllTextAsync(Path.Combine(_agents.Data, "a.txt"), "a");
        _tmpfs.LeaveInodes(0);
        using var credentials = _agents.DiskCredentials();
        using var http = new HttpClient(MutualTls.CreateClientHandler(credentials.Certificate, credentials.CaCertificate, "media-1", AgentRole.Media));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_agents.Media.Address, "/v1/sessions/full-1"))
        {
            Content = JsonContent.Create(new SessionOpenRequest { Stream = "s1", Paths = [_agents.Data] }, options: JsonSerializerOptions.Web),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Add(AgentHeaders.JobToken, _agents.Token("sys-a", JobDirection.Backup, job: "job-open"));

        using var open = await http.SendAsync(request);

        // Was 409 "the repository cannot start a backup now", which the controller retried.
        var body = await open.Content.ReadAsStringAsync();
        open.StatusCode.Should().Be(HttpStatusCode.InsufficientStorage, body);
        using (var problem = JsonDocument.Parse(body))
        {
            problem.RootElement.GetProperty("type").GetString().Should().Be(AgentProblemTypes.NoSpace);
            problem.RootElement.GetProperty("title").GetString().Should().Be("The repository has no space left");
            problem.RootElement.GetProperty("detail").GetString().Should().Contain("no space left in").And.Contain(Repository);
        }

        new AuditLog(_agents.MediaOptions.AuditLogPath).ReadAll().Should().ContainSingle(e => e.Decision == AuditDecision.Failed)
            .Which.Should().Match<AuditEntry>(e => e.Action == "POST /v1/sessions/{sessionId}" && e.Reason.StartsWith("507 ", StringComparison.Ordinal));

        // The disk agent's open fails the same way before its progress begins: problem details, status and type kept.
        var order = _agents.Job(_agents.Token("sys-a", JobDirection.Backup)) with { Paths = [_agents.Data] };
        using var relayed = await _agents.Controller.PostAsJsonAsync(new Uri(_agents.Disk.Address, "/v1/jobs/backup"), order, JsonSerializerOptions.Web);
        var relayedBody = await relayed.Content.ReadAsStringAsync();
        relayed.StatusCode.Should().Be(HttpStatusCode.InsufficientStorage, relayedBody);
        using var relayedProblem = JsonDocument.Parse(relayedBody);
        relayedProblem.RootElement.GetProperty("type").GetString().Should().Be(AgentProblemTypes.NoSpace);
        relayedProblem.RootElement.GetProperty("detail").GetString().Should().Contain(Repository);
    }

    [Fact]
    public async Task A_repository_that_fills_up_during_an_upgraded_stream_answers_507_no_space_in_the_reply_line_which_the_disk_agent_relays()
    {
        // 32 MiB that do not compress into a 4 MiB file system: the packs fill it while the stream runs.
        await File.WriteAllBytesAsync(Path.Combine(_agents.Data, "big.bin"), RandomNumberGenerator.GetBytes(32 << 20));
        var order = _agents.Job(_agents.Token("sys-a", JobDirection.Backup)) with { Paths = [_agents.Data] };

        var lines = await TransferLines.PostAsync(_agents.Controller, new Uri(_agents.Disk.Address, "/v1/jobs/backup"), order);

        lines[^1].Type.Should().Be(TransferLine.ErrorType);
        var error = lines[^1].Error!;
        error.Status.Should().Be(507, error.Detail);
        error.Type.Should().Be(AgentProblemTypes.NoSpace, error.Detail);
        error.Detail.Should().Contain($"No space left in the repository {Repository}").And.Contain("Free space there and run the backup again");
        new AuditLog(_agents.MediaOptions.AuditLogPath).ReadAll().Where(e => e.Decision == AuditDecision.Failed).Should()
            .ContainSingle("the failure came in the upgraded stream's reply line, once").Which.Should()
            .Match<AuditEntry>(e => e.Action == "session.stream.upgrade" && e.Reason.StartsWith("507 The repository has no space left", StringComparison.Ordinal));
        new AuditLog(_agents.Temp.Combine("disk-audit.jsonl")).ReadAll().Should().ContainSingle(e => e.Action == "job.backup")
            .Which.Decision.Should().Be(AuditDecision.Failed);
        Directory.EnumerateFiles(Path.Combine(Repository, "snapshots")).Should().BeEmpty("no snapshot was saved");

        // Free space (here: a larger file system) and run the same order again: it completes.
        _tmpfs.Remount("size=128m");
        var again = TransferLines.Result(await TransferLines.PostAsync(_agents.Controller, new Uri(_agents.Disk.Address, "/v1/jobs/backup"), order));
        again.Backup!.Snapshot.Should().NotBeNull();
    }
}

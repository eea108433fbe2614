using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using UdcBackup.Agents.Audit;
using UdcBackup.Agents.Disk;
using UdcBackup.Agents.Hosting;
using UdcBackup.Agents.Identity;
using UdcBackup.Agents.Media;
using UdcBackup.Agents.Tls;
using UdcBackup.Agents.Tokens;
using UdcBackup.Archive.Repository;
using UdcBackup.Testing;
using UdcBackup.Testing.Agents;

namespace UdcBackup.Agents.Tests.Hosting;

/// <summary>
/// Failures no endpoint maps, provoked on a real <c>udc agent media</c> process: the repository's
/// snapshot folder is removed under the running agent, so listing snapshots fails with an error the
/// archive does not classify. The answer is problem details whose trace id names the agent's log
/// line holding the whole exception, the audit log records the failed request, and the disk agent
/// passes the media agent's detail on to the controller. A <c>udc agent disk</c> process whose audit
/// log cannot be written fails the same way. A peer that leaves in the middle of a restore stream
/// is no failure: no error line, no failed audit record. Damaged repository data is answered with
/// the problem <c>type</c> <see cref="AgentProblemTypes.DamagedData"/>, which the controller does
/// not retry; other failures carry no such type. A restore stream over a damaged pack has begun
/// when the damage is read: its trailers carry the type, and the disk agent's error line passes it on.
/// </summary>
public sealed partial class UnexpectedFailureTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(1);
    private LoopbackAgents _agents = null!;
    private AgentProcess _media = null!;

    private string Repository => _agents.Temp.Combine("repo-process");

    private AuditLog MediaAudit => new(_agents.Temp.Combine("media-process-audit.jsonl"));

    public async Task InitializeAsync()
    {
        _agents = await LoopbackAgents.StartAsync();
        ArchiveRepository.Init(Repository, "pw", kdfIterations: 1000).Dispose();
        _media = await AgentProcess.StartMediaAsync(
            new MediaAgentOptions
            {
                ListenAddress = "127.0.0.1", Port = 0, CredentialsFolder = _agents.Temp.Combine("media"),
                RepositoryPath = Repository, RepositoryPasswordFile = _agents.Temp.Combine("repo-password"),
                SessionFolder = _agents.Temp.Combine("media-process-sessions"), AuditLogPath = _agents.Temp.Combine("media-process-audit.jsonl"),
            },
            _agents.Temp.Combine("media.json"));
    }

    public async Task DisposeAsync()
    {
        await _media.DisposeAsync();
        await _agents.DisposeAsync();
    }

    [Fact]
    public async Task An_unexpected_failure_answers_problem_details_whose_trace_id_names_the_logged_exception()
    {
        Directory.Delete(Path.Combine(Repository, "snapshots"), recursive: true);
        using var controller = ControllerToMedia();

        using var response = await controller.GetAsync(new Uri(_media.Address, "/v1/snapshots"));

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.InternalServerError, body);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json", body);
        using var problem = JsonDocument.Parse(body);
        var root = problem.RootElement;
        root.GetProperty("status").GetInt32().Should().Be(500);
        root.GetProperty("title").GetString().Should().NotBeNullOrWhiteSpace();
        var traceId = root.GetProperty("traceId").GetString()!;
        traceId.Should().NotBeNullOrWhiteSpace();
        root.GetProperty("detail").GetString().Should().Contain("DirectoryNotFoundException", "the detail names what failed")
            .And.Contain(traceId).And.NotContain(" at ", "no stack trace leaves the agent");

        var line = await LogLineAsync(traceId);
        line.Should().Contain("fail:").And.Contain("GET /v1/snapshots").And.Contain("DirectoryNotFoundException")
            .And.Contain(" at UdcBackup.", "the agent's log line holds the whole exception");
        MediaAudit.ReadAll().Should().ContainSingle(e => e.Decision == AuditDecision.Failed)
            .Which.Should().Match<AuditEntry>(e => e.Actor == "controller:cm-1" && e.Target == "/v1/snapshots" && e.Reason.Contains(traceId));
    }

    [Fact]
    public async Task A_forget_over_a_damaged_snapshot_file_is_a_damaged_data_failure_not_a_busy_repository()
    {
        var damaged = new string('a', 64);
        await File.WriteAllBytesAsync(Path.Combine(Repository, "snapshots", damaged), RandomNumberGenerator.GetBytes(200));
        using var controller = ControllerToMedia();

        using var response = await controller.PostAsJsonAsync(new Uri(_media.Address, "/v1/snapshots/forget"), new ForgetRequest([new string('b', 64)]), JsonSerializerOptions.Web);

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.InternalServerError, body);
        using var problem = JsonDocument.Parse(body);
        problem.RootElement.GetProperty("title").GetString().Should().Be("The repository holds damaged data");
        problem.RootElement.GetProperty("detail").GetString().Should().Contain(damaged, "the detail names the damaged file");
    }

    [Fact]
    public async Task Damaged_data_is_answered_with_the_damaged_data_problem_type()
    {
        await File.WriteAllBytesAsync(Path.Combine(Repository, "snapshots", new string('a', 64)), RandomNumberGenerator.GetBytes(200));
        using var controller = ControllerToMedia();

        using var response = await controller.PostAsJsonAsync(new Uri(_media.Address, "/v1/snapshots/forget"), new ForgetRequest([new string('b', 64)]), JsonSerializerOptions.Web);

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.InternalServerError, body);
        using var problem = JsonDocument.Parse(body);
        problem.RootElement.GetProperty("type").GetString().Should().Be(AgentProblemTypes.DamagedData);
        problem.RootElement.GetProperty("title").GetString().Should().Be("The repository holds damaged data");
    }

    [Fact]
    public async Task Another_failure_carries_no_damaged_data_type()
    {
        Directory.Delete(Path.Combine(Repository, "snapshots"), recursive: true);
        using var controller = ControllerToMedia();

        using var response = await controller.GetAsync(new Uri(_media.Address, "/v1/snapshots"));

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.InternalServerError, body);
        using var problem = JsonDocument.Parse(body);
        (problem.RootElement.TryGetProperty("type", out var type) ? type.GetString() : null).Should().NotBe(AgentProblemTypes.DamagedData);
    }

    [Fact]
    public async Task A_backup_order_fails_with_the_media_agent_detail_and_trace_id_for_the_controller()
    {
        await File.WriteAllTextAsync(Path.Combine(_agents.Data, "a.txt"), "a");
        Directory.Delete(Path.Combine(Repository, "snapshots"), recursive: true);
        var order = _agents.Job(_agents.Token("sys-a", JobDirection.Backup)) with { MediaAgentUrl = _media.Address.ToString(), Paths = [_agents.Data], Level = "incremental" };

        using var response = await _agents.Controller.PostAsJsonAsync(new Uri(_agents.Disk.Address, "/v1/jobs/backup"), order, JsonSerializerOptions.Web);

        // What the controller's agent client puts into the activity's failure: "title: detail".
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.InternalServerError, body);
        using var problem = JsonDocument.Parse(body);
        var detail = problem.RootElement.GetProperty("detail").GetString()!;
        detail.Should().Contain("DirectoryNotFoundException");
        var traceId = MediaTraceId().Match(detail);
        traceId.Success.Should().BeTrue($"the detail names the media agent's trace id: {detail}");
        (await LogLineAsync(traceId.Groups["id"].Value)).Should().Contain("POST /v1/sessions/").And.Contain(" at UdcBackup.");
        new AuditLog(_agents.Temp.Combine("disk-audit.jsonl")).ReadAll().Select(e => (e.Action, e.Decision)).Should().Equal(("job.backup", AuditDecision.Failed));
    }

    [Fact]
    public async Task A_disk_agent_whose_audit_log_cannot_be_written_answers_problem_details_and_logs_the_exception()
    {
        var auditPath = _agents.Temp.Combine("disk-process-audit.jsonl");
        await using var disk = await AgentProcess.StartDiskAsync(
            new DiskAgentOptions
            {
                ListenAddress = "127.0.0.1", Port = 0, CredentialsFolder = _agents.Temp.Combine("disk"), ScriptFolder = _agents.Temp.Combine("scripts"),
                DataPaths = [_agents.Data], AuditLogPath = auditPath,
            },
            _agents.Temp.Combine("disk.json"));
        Directory.CreateDirectory(auditPath); // the refusal's audit record cannot be appended to a folder

        using var response = await _agents.Controller.PostAsJsonAsync(new Uri(disk.Address, "/v1/scripts/run"), new ScriptRunRequest { Name = "no-such-script" }, JsonSerializerOptions.Web);

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.InternalServerError, body);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json", body);
        using var problem = JsonDocument.Parse(body);
        var traceId = problem.RootElement.GetProperty("traceId").GetString()!;
        problem.RootElement.GetProperty("detail").GetString().Should().Contain("disk-process-audit.jsonl").And.Contain($"trace id {traceId} in the disk agent's log");
        string? line = null;
        await Wait.UntilAsync(() => (line = disk.Output.Split('\n').FirstOrDefault(l => l.Contains($"trace id {traceId} ", StringComparison.Ordinal))) is not null, Deadline, "the disk agent's log line");
        line.Should().Contain("fail:").And.Contain("POST /v1/scripts/run").And.Contain(" at UdcBackup.Agents.Audit.AuditLog");
    }

    [Fact]
    public async Task A_disk_agent_leaving_a_restore_stream_is_no_failure_of_the_media_agent()
    {
        for (var i = 0; i < 4; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(_agents.Data, $"part-{i}.bin"), RandomNumberGenerator.GetBytes(2_000_000));
        }

        var snapshot = await BackUpDataAsync();
        using var credentials = _agents.DiskCredentials();
        using var disk = new HttpClient(MutualTls.CreateClientHandler(credentials.Certificate, credentials.CaCertificate, "media-1", AgentRole.Media))
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using (var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_media.Address, "/v1/restore")))
        {
            request.Headers.Add(AgentHeaders.JobToken, _agents.Token("sys-a", JobDirection.Restore, snapshot));
            using var response = await disk.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            await using var stream = await response.Content.ReadAsStreamAsync();
            (await stream.ReadAtLeastAsync(new byte[64 * 1024], 64 * 1024)).Should().Be(64 * 1024);
        }

        await Wait.UntilAsync(() => _media.Output.Contains("GET /v1/restore from disk:sys-a: the connection closed", StringComparison.Ordinal), Deadline, "the media agent's note that the disk agent left");
        _media.Output.Should().NotContain("fail:", "a peer leaving is not an error of the agent");
        MediaAudit.ReadAll().Should().NotContain(e => e.Decision == AuditDecision.Failed);
    }

    [Fact]
    public async Task A_restore_over_a_damaged_pack_ends_with_an_error_line_of_the_damaged_data_type()
    {
        for (var i = 0; i < 2; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(_agents.Data, $"part-{i}.bin"), RandomNumberGenerator.GetBytes(1_000_000));
        }

        var snapshot = await BackUpDataAsync();
        var pack = DamageLargestPack();

        var lines = await RestoreAsync(snapshot, _agents.Temp.Combine("restore", "damaged"));

        // The media agent's stream ended early with trailers naming the damage; the disk agent's
        // error line carries the type, which the controller does not retry.
        lines[^1].Type.Should().Be(TransferLine.ErrorType);
        var error = lines[^1].Error!;
        error.Type.Should().Be(AgentProblemTypes.DamagedData, error.Detail);
        error.Status.Should().Be(500);
        error.Detail.Should().Contain("part-").And.Contain("cannot be read", "the detail names the file the damaged pack held");
        var traceId = MediaTraceId().Match(error.Detail!);
        traceId.Success.Should().BeTrue($"the detail names the media agent's trace id: {error.Detail}");
        (await LogLineAsync(traceId.Groups["id"].Value)).Should().Contain("/v1/restore").And.Contain("fail:");
        MediaAudit.ReadAll().Should().Contain(e => e.Decision == AuditDecision.Failed && e.Reason.Contains(traceId.Groups["id"].Value), $"pack {pack} damaged");
    }

    [Fact]
    public async Task A_restore_failing_on_the_disk_agent_carries_no_damaged_data_type()
    {
        await File.WriteAllBytesAsync(Path.Combine(_agents.Data, "a.bin"), RandomNumberGenerator.GetBytes(100_000));
        var snapshot = await BackUpDataAsync();
        var target = _agents.Temp.Combine("restore", "blocked");
        await File.WriteAllTextAsync(target, "a file where the restore wants a folder");

        var lines = await RestoreAsync(snapshot, target);

        lines[^1].Type.Should().Be(TransferLine.ErrorType);
        lines[^1].Error!.Type.Should().BeNull(lines[^1].Error!.Detail);
    }

    [Fact]
    public async Task A_restore_of_a_snapshot_whose_file_is_damaged_ends_with_an_error_line_of_the_damaged_data_type()
    {
        await File.WriteAllTextAsync(Path.Combine(_agents.Data, "a.txt"), "a");
        var snapshot = await BackUpDataAsync();
        await File.WriteAllBytesAsync(Path.Combine(Repository, "snapshots", snapshot), RandomNumberGenerator.GetBytes(200));

        var lines = await RestoreAsync(snapshot, _agents.Temp.Combine("restore", "damaged"));

        // The media agent answered problem details before its stream began; the disk agent keeps their type.
        lines[^1].Type.Should().Be(TransferLine.ErrorType);
        var error = lines[^1].Error!;
        error.Type.Should().Be(AgentProblemTypes.DamagedData, error.Detail);
        error.Status.Should().Be(500);
        error.Detail.Should().Contain(snapshot[..8]);
    }

    [Fact]
    public async Task An_incremental_backup_over_a_damaged_parent_is_a_damaged_data_failure_not_a_busy_repository()
    {
        await File.WriteAllTextAsync(Path.Combine(_agents.Data, "a.txt"), "a");
        var parent = await BackUpDataAsync();
        await File.WriteAllBytesAsync(Path.Combine(Repository, "snapshots", parent), RandomNumberGenerator.GetBytes(200));
        var order = _agents.Job(_agents.Token("sys-a", JobDirection.Backup, job: "job-2"), "job-2") with
        {
            MediaAgentUrl = _media.Address.ToString(), Paths = [_agents.Data], Level = "incremental", ParentSnapshotId = parent,
        };

        using var response = await _agents.Controller.PostAsJsonAsync(new Uri(_agents.Disk.Address, "/v1/jobs/backup"), order, JsonSerializerOptions.Web);

        // No retry can read the parent: the type tells the controller so (a 409 "cannot start a backup now" was retried).
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.InternalServerError, body);
        using var problem = JsonDocument.Parse(body);
        problem.RootElement.GetProperty("type").GetString().Should().Be(AgentProblemTypes.DamagedData, body);
        problem.RootElement.GetProperty("detail").GetString().Should().Contain(parent[..8], "the detail names the damaged parent");
    }

    // The largest pack (the data of the big files): its blobs fail when read, the tree pack still reads.
    private string DamageLargestPack()
    {
        var pack = new DirectoryInfo(Path.Combine(Repository, "data")).EnumerateFiles("*", SearchOption.AllDirectories).MaxBy(f => f.Length)!;
        PackDamage.Flip(pack.FullName);
        return pack.Name;
    }

    // The data folder backed up through the disk agent into the media agent process: the snapshot's id.
    private async Task<string> BackUpDataAsync()
    {
        var backup = _agents.Job(_agents.Token("sys-a", JobDirection.Backup)) with { MediaAgentUrl = _media.Address.ToString(), Paths = [_agents.Data] };
        return TransferLines.Result(await TransferLines.PostAsync(_agents.Controller, new Uri(_agents.Disk.Address, "/v1/jobs/backup"), backup)).Backup!.Snapshot!.Id;
    }

    // A restore order for the snapshot into target, as the controller sends it: every answer line.
    private async Task<List<TransferLine>> RestoreAsync(string snapshot, string target)
    {
        var restore = _agents.Job(_agents.Token("sys-a", JobDirection.Restore, snapshot)) with { MediaAgentUrl = _media.Address.ToString(), Target = target };
        return await TransferLines.PostAsync(_agents.Controller, new Uri(_agents.Disk.Address, "/v1/jobs/restore"), restore);
    }

    private HttpClient ControllerToMedia()
    {
        var certificate = _agents.Ca.IssueWithNewKey(new SystemIdentity("cm-1", AgentRole.Controller));
        return new HttpClient(MutualTls.CreateClientHandler(certificate, _agents.Ca.Certificate, "media-1", AgentRole.Media))
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }

    // The agent's log lines come from a background writer: wait for the one naming the trace id.
    private async Task<string> LogLineAsync(string traceId)
    {
        string? line = null;
        await Wait.UntilAsync(() => (line = _media.Output.Split('\n').FirstOrDefault(l => l.Contains($"trace id {traceId} ", StringComparison.Ordinal))) is not null, Deadline, $"the media agent's log line of trace id {traceId}");
        return line!;
    }

    [GeneratedRegex(@"trace id (?<id>\S+) in the media agent's log")]
    private static partial Regex MediaTraceId();
}

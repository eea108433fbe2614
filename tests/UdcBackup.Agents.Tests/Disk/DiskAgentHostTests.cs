using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using UdcBackup.Agents.Audit;
using UdcBackup.Agents.Disk;
using UdcBackup.Agents.Identity;
using UdcBackup.Agents.Tls;

namespace UdcBackup.Agents.Tests.Disk;

/// <summary>A disk agent enrolled with a real CA, listening on loopback with mutual TLS.</summary>
public sealed class DiskAgentHostTests : IAsyncLifetime
{
    private readonly TempFolder _temp = new();
    private CertificateAuthority _ca = null!;
    private DiskAgentHost _agent = null!;
    private DiskAgentOptions _options = null!;

    public async Task InitializeAsync()
    {
        _ca = CertificateAuthority.CreateOrOpen(_temp.Combine("ca"));
        var token = _ca.EnrollmentTokens.Issue(new SystemIdentity("portal-db", AgentRole.Disk), TimeSpan.FromMinutes(5));
        var (key, csr) = AgentCredentials.CreateSigningRequest();
        AgentCredentials.Save(_temp.Combine("agent"), key, _ca.Enroll(new EnrollmentRequest(token, csr))).Dispose();

        Directory.CreateDirectory(_temp.Combine("scripts"));
        var script = _temp.Combine("scripts", "pre-backup");
        File.WriteAllText(script, "#!/bin/sh\necho \"quiesced $1\"\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        _options = new DiskAgentOptions
        {
            ListenAddress = "127.0.0.1",
            Port = 0,
            CredentialsFolder = _temp.Combine("agent"),
            ScriptFolder = _temp.Combine("scripts"),
            AuditLogPath = _temp.Combine("audit.jsonl"),
        };
        _agent = await DiskAgentHost.StartAsync(_options);
    }

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        _ca.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task The_controller_runs_a_named_script_and_the_run_is_audited()
    {
        using var controller = _ca.IssueWithNewKey(new SystemIdentity("cm-1", AgentRole.Controller));
        using var http = Client(controller);

        using var response = await http.PostAsJsonAsync(new Uri(_agent.Address, "/v1/scripts/run"), new ScriptRunRequest { Name = "pre-backup", Arguments = ["db1"], JobId = "job-7" });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var result = await response.Content.ReadFromJsonAsync<ScriptResult>(JsonSerializerOptions.Web);
        result!.ExitCode.Should().Be(0);
        result.StandardOutput.Should().Be("quiesced db1\n");
        var entry = Audit().Should().ContainSingle().Subject;
        entry.Should().BeEquivalentTo(new { Actor = "controller:cm-1", Action = "script.run", Decision = AuditDecision.Accepted, Target = "pre-backup", JobId = "job-7" });
    }

    [Fact]
    public async Task Another_system_may_not_run_scripts_and_the_refusal_is_audited()
    {
        using var otherDisk = _ca.IssueWithNewKey(new SystemIdentity("web-1", AgentRole.Disk));
        using var http = Client(otherDisk);

        using var response = await http.PostAsJsonAsync(new Uri(_agent.Address, "/v1/scripts/run"), new ScriptRunRequest { Name = "pre-backup" });

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        Audit().Should().ContainSingle().Which.Should().BeEquivalentTo(new { Actor = "disk:web-1", Decision = AuditDecision.Refused });
    }

    [Fact]
    public async Task A_script_outside_the_folder_is_refused_with_the_reason_and_audited()
    {
        using var controller = _ca.IssueWithNewKey(new SystemIdentity("cm-1", AgentRole.Controller));
        using var http = Client(controller);

        using var response = await http.PostAsJsonAsync(new Uri(_agent.Address, "/v1/scripts/run"), new ScriptRunRequest { Name = "../../bin/sh" });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("not a script name");
        Audit().Should().ContainSingle().Which.Decision.Should().Be(AuditDecision.Refused);
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("a//b")]
    [InlineData("/abs")]
    [InlineData("a/./b")]
    public async Task Script_names_breaking_the_folder_rule_are_refused_and_audited(string name)
    {
        using var controller = _ca.IssueWithNewKey(new SystemIdentity("cm-1", AgentRole.Controller));
        using var http = Client(controller);

        using var response = await http.PostAsJsonAsync(new Uri(_agent.Address, "/v1/scripts/run"), new ScriptRunRequest { Name = name, JobId = "job-9" });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("not a script name");
        Audit().Should().ContainSingle().Which.Should().BeEquivalentTo(new { Action = "script.run", Decision = AuditDecision.Refused, Target = name, JobId = "job-9" });
    }

    [Fact]
    public async Task A_script_named_with_its_folder_runs_and_is_audited()
    {
        var folder = _temp.Combine("scripts", "postgresql");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "pre-backup"), "#!/bin/sh\necho \"pg $1\"\n");
        File.SetUnixFileMode(Path.Combine(folder, "pre-backup"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var controller = _ca.IssueWithNewKey(new SystemIdentity("cm-1", AgentRole.Controller));
        using var http = Client(controller);

        using var response = await http.PostAsJsonAsync(new Uri(_agent.Address, "/v1/scripts/run"), new ScriptRunRequest { Name = "postgresql/pre-backup", Arguments = ["db1"] });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadFromJsonAsync<ScriptResult>(JsonSerializerOptions.Web))!.StandardOutput.Should().Be("pg db1\n");
        Audit().Should().ContainSingle().Which.Should().BeEquivalentTo(new { Decision = AuditDecision.Accepted, Target = "postgresql/pre-backup" });
    }

    [Fact]
    public async Task The_identity_endpoint_names_both_sides()
    {
        using var controller = _ca.IssueWithNewKey(new SystemIdentity("cm-1", AgentRole.Controller));
        using var http = Client(controller);
        var body = await http.GetStringAsync(new Uri(_agent.Address, "/v1/identity"));
        body.Should().Contain("disk:portal-db").And.Contain("controller:cm-1");
    }

    [Fact]
    public async Task Bad_configuration_is_reported_with_every_problem_before_listening()
    {
        var bad = new DiskAgentOptions { ListenAddress = "not-an-ip", Port = 70000, CredentialsFolder = "/nonexistent", ScriptFolder = "relative", AuditLogPath = "" };
        var start = () => DiskAgentHost.StartAsync(bad);
        (await start.Should().ThrowAsync<ArgumentException>()).Which.Message
            .Should().Contain("listenAddress").And.Contain("port").And.Contain("credentialsFolder").And.Contain("scriptFolder").And.Contain("auditLogPath");

        var path = _temp.Combine("disk.json");
        File.WriteAllText(path, JsonSerializer.Serialize(_options, JsonSerializerOptions.Web));
        DiskAgentOptions.Load(path).ScriptFolder.Should().Be(_options.ScriptFolder);
    }

    private HttpClient Client(X509Certificate2 certificate) =>
        new(MutualTls.CreateClientHandler(certificate, _ca.Certificate, "portal-db", AgentRole.Disk))
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

    private IReadOnlyList<AuditEntry> Audit() => new AuditLog(_options.AuditLogPath).ReadAll();
}

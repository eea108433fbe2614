using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using UdcBackup.Agents.Hosting;
using UdcBackup.Agents.Identity;
using UdcBackup.Agents.Media;
using UdcBackup.Agents.Tls;
using UdcBackup.Archive.Repository;
using UdcBackup.Testing;
using UdcBackup.Testing.Agents;

namespace UdcBackup.Agents.Tests.Hosting;

/// <summary>
/// A <c>udc agent media</c> process answers damaged repository data with a problem whose
/// <c>type</c> is <see cref="AgentProblemTypes.DamagedData"/>, which the controller does not retry;
/// other failures carry no such type.
/// </summary>
public sealed class DamagedDataProblemTypeTests : IAsyncLifetime
{
    private LoopbackAgents _agents = null!;
    private AgentProcess _media = null!;

    private string Repository => _agents.Temp.Combine("repo-damaged");

    public async Task InitializeAsync()
    {
        _agents = await LoopbackAgents.StartAsync();
        ArchiveRepository.Init(Repository, "pw", kdfIterations: 1000).Dispose();
        _media = await AgentProcess.StartMediaAsync(
            new MediaAgentOptions
            {
                ListenAddress = "127.0.0.1", Port = 0, CredentialsFolder = _agents.Temp.Combine("media"),
                RepositoryPath = Repository, RepositoryPasswordFile = _agents.Temp.Combine("repo-password"),
                SessionFolder = _agents.Temp.Combine("media-damaged-sessions"), AuditLogPath = _agents.Temp.Combine("media-damaged-audit.jsonl"),
            },
            _agents.Temp.Combine("media.json"));
    }

    public async Task DisposeAsync()
    {
        await _media.DisposeAsync();
        await _agents.DisposeAsync();
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

    private HttpClient ControllerToMedia()
    {
        var certificate = _agents.Ca.IssueWithNewKey(new SystemIdentity("cm-1", AgentRole.Controller));
        return new HttpClient(MutualTls.CreateClientHandler(certificate, _agents.Ca.Certificate, "media-1", AgentRole.Media))
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }
}

using System.Net;
using UdcBackup.Agents.Disk;
using UdcBackup.Agents.Identity;
using UdcBackup.Agents.Media;
using UdcBackup.Agents.Tls;
using UdcBackup.Agents.Tokens;
using UdcBackup.Archive.Repository;

namespace UdcBackup.Agents.Tests;

/// <summary>
/// A controller CA, a media agent (media-1) with a fresh repository and a disk agent (sys-a) on
/// loopback, with the controller's mutual-TLS client to the disk agent. Data paths: <c>data</c>;
/// restore root: <c>restore</c> and any <c>extraRestoreRoots</c> (all under <see cref="Temp"/>).
/// </summary>
public sealed class LoopbackAgents : IAsyncDisposable
{
    private LoopbackAgents(TempFolder temp) => Temp = temp;

    public TempFolder Temp { get; }

    public CertificateAuthority Ca { get; private set; } = null!;

    public MediaAgentHost Media { get; private set; } = null!;

    public MediaAgentOptions MediaOptions { get; private set; } = null!;

    public DiskAgentHost Disk { get; private set; } = null!;

    public HttpClient Controller { get; private set; } = null!;

    public string Data => Temp.Combine("data");

    public string Restore => Temp.Combine("restore");

    public static async Task<LoopbackAgents> StartAsync(string? dataFolder = null, string[]? extraRestoreRoots = null)
    {
        var agents = new LoopbackAgents(new TempFolder());
        var temp = agents.Temp;
        agents.Ca = CertificateAuthority.CreateOrOpen(temp.Combine("ca"));
        agents.Enroll("media-1", AgentRole.Media, "media").Dispose();
        agents.Enroll("sys-a", AgentRole.Disk, "disk").Dispose();
        File.WriteAllText(temp.Combine("repo-password"), "pw\n");
        ArchiveRepository.Init(temp.Combine("repo"), "pw", kdfIterations: 1000).Dispose();
        agents.MediaOptions = new MediaAgentOptions
        {
            ListenAddress = "127.0.0.1", Port = 0, CredentialsFolder = temp.Combine("media"),
            RepositoryPath = temp.Combine("repo"), RepositoryPasswordFile = temp.Combine("repo-password"), AuditLogPath = temp.Combine("media-audit.jsonl"),
        };
        agents.Media = await MediaAgentHost.StartAsync(agents.MediaOptions);
        Directory.CreateDirectory(temp.Combine("scripts"));
        Directory.CreateDirectory(agents.Data);
        Directory.CreateDirectory(agents.Restore);
        var extraRoots = (extraRestoreRoots ?? []).Select(r => temp.Combine(r)).ToArray();
        foreach (var root in extraRoots)
        {
            Directory.CreateDirectory(root);
        }

        agents.Disk = await DiskAgentHost.StartAsync(new DiskAgentOptions
        {
            ListenAddress = "127.0.0.1", Port = 0, CredentialsFolder = temp.Combine("disk"), ScriptFolder = temp.Combine("scripts"),
            DataPaths = [dataFolder ?? agents.Data], RestoreRoots = [agents.Restore, .. extraRoots], AuditLogPath = temp.Combine("disk-audit.jsonl"),
        });
        var controllerCert = agents.Ca.IssueWithNewKey(new SystemIdentity("cm-1", AgentRole.Controller));
        agents.Controller = new HttpClient(MutualTls.CreateClientHandler(controllerCert, agents.Ca.Certificate, "sys-a", AgentRole.Disk))
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromMinutes(5),
        };
        return agents;
    }

    /// <summary>A job token from the controller's signer.</summary>
    public string Token(string system, JobDirection direction, string? snapshot = null, string job = "job-1") =>
        Ca.TokenSigner.Issue(job, system, "media-1", direction, TimeSpan.FromHours(1), snapshot);

    /// <summary>The controller's order to the disk agent, addressed to this media agent.</summary>
    public TransferJobRequest Job(string token, string job = "job-1") => new()
    {
        JobId = job,
        MediaAgentUrl = Media.Address.ToString(),
        MediaAgentId = "media-1",
        Token = token,
    };

    /// <summary>The disk agent's own credentials (for driving <see cref="MediaTransferClient"/> directly).</summary>
    public AgentCredentials DiskCredentials() => AgentCredentials.Load(Temp.Combine("disk"));

    public async Task RestartMediaAsync()
    {
        await Media.DisposeAsync();
        Media = await MediaAgentHost.StartAsync(MediaOptions);
    }

    public async ValueTask DisposeAsync()
    {
        Controller.Dispose();
        await Disk.DisposeAsync();
        await Media.DisposeAsync();
        Ca.Dispose();
        Temp.Dispose();
    }

    private AgentCredentials Enroll(string system, AgentRole role, string folder)
    {
        var token = Ca.EnrollmentTokens.Issue(new SystemIdentity(system, role), TimeSpan.FromMinutes(5));
        var (key, csr) = AgentCredentials.CreateSigningRequest();
        using (key)
        {
            return AgentCredentials.Save(Temp.Combine(folder), key, Ca.Enroll(new EnrollmentRequest(token, csr)));
        }
    }
}

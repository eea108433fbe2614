using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using UdcBackup.Agents.Audit;
using UdcBackup.Agents.Hosting;
using UdcBackup.Agents.Identity;
using UdcBackup.Agents.Tls;

namespace UdcBackup.Agents.Disk;

/// <summary>
/// The disk agent service: HTTP/2 over TLS 1.3 with client certificates from the controller's CA.
/// Endpoints: <c>GET /v1/identity</c> (any enrolled peer: who am I talking to) and
/// <c>POST /v1/scripts/run</c> (controller only: run a named pre/post script, see
/// <see cref="ScriptRunner"/>), <c>POST /v1/jobs/backup|restore</c> (controller only: move data
/// with a media agent, see <see cref="TransferJobs"/>) and <c>POST /v1/jobs/restore/check</c>
/// (controller only: would that restore be accepted). Every accepted and refused request is
/// audited with the peer's identity; a refused request answers 400 with the reason, a wrong role 403.
/// </summary>
public sealed class DiskAgentHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DiskAgentHost(WebApplication app, AgentCredentials credentials)
    {
        _app = app;
        Credentials = credentials;
    }

    /// <summary>The agent's own credentials.</summary>
    public AgentCredentials Credentials { get; }

    /// <summary>The address the agent listens on (with the actual port when 0 was configured).</summary>
    public Uri Address => AgentWebHost.ListeningAddress(_app);

    /// <summary>Validates the options, loads the credentials and starts listening.</summary>
    public static async Task<DiskAgentHost> StartAsync(DiskAgentOptions options, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validated();
        time ??= TimeProvider.System;
        var credentials = AgentWebHost.LoadCredentials(options.CredentialsFolder, AgentRole.Disk, time);

        var runner = new ScriptRunner(new ScriptRunnerOptions { ScriptFolder = options.ScriptFolder, DefaultTimeout = TimeSpan.FromSeconds(options.ScriptTimeoutSeconds), EnvironmentPrefixes = options.ScriptEnvironmentPrefixes }, time);
        var audit = new AuditLog(options.AuditLogPath, time);

        var app = AgentWebHost.Build(options.ListenAddress, options.Port, credentials, audit, time);
        app.MapGet("/v1/identity", (HttpContext context) =>
        {
            var peer = MutualTls.PeerIdentity(context);
            return peer is null
                ? Results.StatusCode(StatusCodes.Status403Forbidden)
                : Results.Json(new { agent = credentials.Identity.ToString(), peer = peer.ToString() });
        });
        app.MapPost("/v1/scripts/run", (HttpContext context, ScriptRunRequest request) => RunScriptAsync(context, request, runner, audit));
        var jobs = new TransferJobs(options, credentials, audit, time);
        app.MapPost("/v1/jobs/backup", (Func<HttpContext, TransferJobRequest, Task>)jobs.BackupAsync);
        app.MapPost("/v1/jobs/restore", (Func<HttpContext, TransferJobRequest, Task>)jobs.RestoreAsync);
        app.MapPost("/v1/jobs/restore/check", (Func<HttpContext, TransferJobRequest, Task>)jobs.CheckRestoreAsync);
        await app.StartAsync(cancellationToken);
        return new DiskAgentHost(app, credentials);
    }

    public async ValueTask DisposeAsync()
    {
        await AgentWebHost.StopAsync(_app);
        await _app.DisposeAsync();
        Credentials.Dispose();
    }

    private static async Task<IResult> RunScriptAsync(HttpContext context, ScriptRunRequest request, ScriptRunner runner, AuditLog audit)
    {
        const string action = "script.run";
        var peer = PeerAuthorization.RequireRole(context, audit, action, AgentRole.Controller);
        if (peer is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Only the controller may run scripts");
        }

        var invocation = new ScriptInvocation
        {
            Name = request.Name,
            Arguments = request.Arguments,
            Environment = request.Environment,
            Timeout = request.TimeoutSeconds is int seconds ? TimeSpan.FromSeconds(seconds) : null,
        };
        try
        {
            var result = await runner.RunAsync(invocation, context.RequestAborted);
            audit.Accepted(peer.ToString(), action, $"exit {result.ExitCode}{(result.TimedOut ? " (timed out)" : string.Empty)}", request.Name, request.JobId);
            return Results.Json(result);
        }
        catch (ScriptRefusedException ex)
        {
            audit.Refused(peer.ToString(), action, ex.Message, request.Name, request.JobId);
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Script refused", detail: ex.Message);
        }
    }
}

using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using UdcBackup.Agents.Audit;
using UdcBackup.Agents.Identity;
using UdcBackup.Agents.Tls;

namespace UdcBackup.Agents.Hosting;

/// <summary>
/// What every agent service shares: credentials checked against the role the service plays, and
/// one Kestrel listener speaking HTTP/2 over mutual TLS with the controller's CA as the only
/// trust anchor. Each service maps its own endpoints on the returned application. Stopping
/// (<see cref="StopAsync"/>) is quick and bounded: requests in flight get <see cref="StopGrace"/> to
/// finish, then their connections are aborted, so a running transfer ends as a broken stream (a
/// session keeps what was committed and stays resumable) instead of holding the process. A request
/// that fails in a way its endpoint does not answer gets problem details with a trace id, and the
/// agent logs the whole exception under that id as one line on standard error
/// (<see cref="AgentFailures"/>); the framework's own log categories stay silent.
/// </summary>
internal static class AgentWebHost
{
    /// <summary>How long in-flight requests may take to finish when the agent stops.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(1);

    /// <summary>Loads the agent's credentials and refuses ones issued for another role.</summary>
    public static AgentCredentials LoadCredentials(string folder, AgentRole role, TimeProvider time)
    {
        var credentials = AgentCredentials.Load(folder, time);
        if (credentials.Identity.Role != role)
        {
            var identity = credentials.Identity;
            credentials.Dispose();
            throw new ArgumentException($"The credentials in {folder} are for {identity}, not a {SystemIdentity.RoleName(role)} agent");
        }

        return credentials;
    }

    /// <summary>
    /// Builds the service's web application listening on one address and port; with
    /// <paramref name="unboundedBodies"/> Kestrel's body size and minimum data rate limits are
    /// lifted, for services that receive whole backups in one request, and the listener speaks
    /// HTTP/1.1 besides HTTP/2 (chosen per connection by ALPN, the same mutual TLS either way): a
    /// bulk entry stream over HTTP/1.1 goes straight into the TLS stream, where HTTP/2 cuts it into
    /// 16 KiB DATA frames with flow control on both ends, about twice the CPU per byte. Failures
    /// no endpoint answers are audited in <paramref name="audit"/>.
    /// </summary>
    public static WebApplication Build(string listenAddress, int port, AgentCredentials credentials, AuditLog audit, TimeProvider time, bool unboundedBodies = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();

        // One line per event, every line to standard error (standard output carries the agent's
        // "listening on" line), UTC, no colours: the lines go to a journal or a file.
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.UseUtcTimestamp = true;
            console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            console.ColorBehavior = LoggerColorBehavior.Disabled;
        });
        builder.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.AddFilter((category, level) => category == AgentFailures.LogCategory && level >= LogLevel.Information);
        builder.Services.AddSingleton<IHostLifetime, ExternallyStoppedLifetime>();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = StopGrace);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            if (unboundedBodies)
            {
                kestrel.Limits.MaxRequestBodySize = null;
                kestrel.Limits.MinRequestBodyDataRate = null;

                // Larger HTTP/2 flow-control windows keep a single backup stream from stalling on
                // window updates (the defaults are sized for many small requests).
                kestrel.Limits.Http2.InitialConnectionWindowSize = 16 * 1024 * 1024;
                kestrel.Limits.Http2.InitialStreamWindowSize = 8 * 1024 * 1024;
            }

            kestrel.Listen(IPAddress.Parse(listenAddress), port, listen =>
            {
                listen.Protocols = unboundedBodies ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http2;
                listen.UseHttps(https => MutualTls.ConfigureServer(https, credentials.Certificate, credentials.CaCertificate, time));
            });
        });
        var app = builder.Build();
        AgentFailures.Use(app, audit, $"{SystemIdentity.RoleName(credentials.Identity.Role)} agent");
        return app;
    }

    /// <summary>Stops the application: no new connections, <see cref="StopGrace"/> for running requests, then aborts them.</summary>
    public static async Task StopAsync(WebApplication app)
    {
        using var grace = new CancellationTokenSource(StopGrace);
        try
        {
            await app.StopAsync(grace.Token);
        }
        catch (OperationCanceledException) when (grace.IsCancellationRequested)
        {
            // The grace ran out and the remaining connections were aborted: that is the intended stop.
        }
    }

    /// <summary>The address a started application listens on (with the actual port when 0 was configured).</summary>
    public static Uri ListeningAddress(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
}

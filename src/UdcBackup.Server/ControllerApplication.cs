using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using UdcBackup.Server.Agents;
using UdcBackup.Server.Api;
using UdcBackup.Server.Auth;
using UdcBackup.Server.Catalog;
using UdcBackup.Server.Configuration;
using UdcBackup.Server.FirewallWindows;
using UdcBackup.Server.Logging;
using UdcBackup.Server.Runtime;
using UdcBackup.Server.Site;

namespace UdcBackup.Server;

/// <summary>
/// Builds the controller (cell manager) process: Kestrel on the configured addresses, the HTTP API
/// in route groups, problem details for every error, the OpenAPI document at
/// <c>/openapi/v1.json</c>, and the durable runtime's workers as a hosted service that starts and
/// stops with the host. The settings must already be validated (<see cref="ServerSettingsLoader"/>).
/// A class library so tests can host the same application in-process.
/// </summary>
public static class ControllerApplication
{
    /// <summary>Builds the application; the caller starts it (<c>RunAsync</c> or <c>StartAsync</c>).</summary>
    public static WebApplication Build(ServerSettings settings, Serilog.ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(logger);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(ControllerApplication).Assembly.GetName().Name,
            ContentRootPath = settings.DataDirectory,
            EnvironmentName = Environments.Production,
        });

        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new SerilogLoggerProvider(logger));
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.WebHost.UseUrls([.. settings.UrlList]);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(settings.ShutdownTimeoutSeconds));

        // Taken before anything else touches the store: a second controller on the same
        // directory stops here, and the lock lives as long as the application (disposed with it).
        var directoryLock = DataDirectoryLock.Acquire(settings.DataDirectory);
        builder.Services.AddSingleton(directoryLock);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(logger);
        builder.Services.AddSingleton<DurableRuntimeService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DurableRuntimeService>());
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.Configure<JsonOptions>(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddOpenApi();
        builder.Services.AddSiteServices(settings);
        builder.Services.AddAuthServices(settings, logger);
        builder.Services.AddFirewallWindowSweep();
        builder.AddControllerAgents(settings);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseApiAccess();
        app.MapOpenApi();
        app.MapHealthEndpoints();
        app.MapWorkflowEndpoints();
        app.MapScheduleEndpoints();
        app.MapSiteEndpoints();
        app.MapActivityCatalogEndpoints();
        app.MapAuthEndpoints();
        app.MapSnapshotEndpoints();
        app.MapFirewallWindowEndpoints();
        UdcBackup.Server.Flows.FlowEndpoints.MapFlowEndpoints(app, settings);
        app.MapAgentEndpoints();
        UdcBackup.Server.Web.WebAppEndpoints.MapWebApp(app, logger);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            foreach (var url in app.Urls)
            {
                logger.Information("udc server listening on {Url}", url);
            }
        });
        return app;
    }
}

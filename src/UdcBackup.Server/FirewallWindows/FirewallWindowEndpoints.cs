using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using UdcBackup.Activities.Firewall;
using UdcBackup.Server.Api;
using UdcBackup.Server.Auth;
using UdcBackup.Server.Runtime;

namespace UdcBackup.Server.FirewallWindows;

/// <summary>
/// <c>GET /api/firewall/windows</c> (viewer): every window tagged <c>udc:job=</c> on the applied
/// site's firewalls, with its run's state; <c>POST /api/firewall/windows/sweep</c> (operator): runs
/// the <see cref="LeftoverWindowSweep"/> now and answers what it closed and left. No site applied:
/// 409; the runtime still recovering: 503. A firewall that cannot be listed is named in
/// <c>firewallErrors</c> of a 200, next to what the others hold.
/// </summary>
public static class FirewallWindowEndpoints
{
    /// <summary>The listing's path, also the path the sweep's audit rows name.</summary>
    public const string WindowsPath = "/api/firewall/windows";

    /// <summary>The sweep, its periodic service and the firewall factory the activities use.</summary>
    public static IServiceCollection AddFirewallWindowSweep(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IFirewallProvider>(sp => new NftablesFirewallProvider(time: sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<LeftoverWindowSweep>();
        return services.AddHostedService<LeftoverWindowSweepService>();
    }

    public static IEndpointRouteBuilder MapFirewallWindowEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(WindowsPath, List).WithTags("Firewall").WithName("ListFirewallWindows");
        routes.MapPost($"{WindowsPath}/sweep", Sweep).WithTags("Firewall").WithName("SweepFirewallWindows");
        return routes;
    }

    private static async Task<Results<Ok<FirewallWindowList>, ProblemHttpResult>> List(LeftoverWindowSweep sweep, DurableRuntimeService host, CancellationToken cancellationToken)
    {
        if (!host.IsReady)
        {
            return NotReady();
        }

        return await sweep.ListAsync(cancellationToken) is { } list ? TypedResults.Ok(list) : NoSite();
    }

    private static async Task<Results<Ok<FirewallSweepReport>, ProblemHttpResult>> Sweep(LeftoverWindowSweep sweep, DurableRuntimeService host, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (!host.IsReady)
        {
            return NotReady();
        }

        var role = user.FindFirstValue(ClaimTypes.Role) is { } name && RoleNames.TryParse(name, out var parsed) ? parsed : (UserRole?)null;
        return await sweep.SweepAsync(user.Identity?.Name, role, cancellationToken) is { } report ? TypedResults.Ok(report) : NoSite();
    }

    private static ProblemHttpResult NoSite() =>
        Problems.Conflict("No site has been applied yet, so the controller knows no firewall to list: udc site apply FILE.");

    private static ProblemHttpResult NotReady() =>
        Problems.Unavailable("The durable runtime is still recovering its runs; a window's run state cannot be read yet. Try again when /healthz answers 200.");
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using UdcBackup.Server.Configuration;
using UdcBackup.Server.Runtime;
using UdcBackup.Server.Site;

namespace UdcBackup.Server.Api;

/// <summary>
/// <c>GET /healthz</c>, open to anyone like a supervisor's probe: 503 until the durable runtime has
/// recovered and accepts work (so a supervisor or a test waits on it instead of sleeping), then 200
/// with <c>status</c> <c>ok</c>, or <c>degraded</c> when the controller is up but stored work cannot
/// run as stored: every variable of the active site version or of a published flow that the current
/// <c>ScriptEnvironmentPrefixes</c> refuse is listed (<see cref="ScriptEnvironmentReview"/>), since each
/// scheduled backup or flow run passing one is refused. Degraded stays 200, as ASP.NET Core's health
/// checks answer by default: the process is alive and serves the API through which it is fixed, and a
/// 503 would make a supervisor restart it or a load balancer drop it for a problem neither can mend.
/// A run in progress that carries such a variable from its start (<see cref="RunningRunScriptCheck"/>)
/// is listed too, until it ends: its disk agent will refuse the script when the run gets there.
/// A store that cannot be read for the check is reported as degraded the same way.
/// The anonymous probe gives the status and how many variables are refused, never which: system
/// ids, script and variable names are site data that need a sign-in like <c>GET /api/site</c>.
/// <c>GET /api/health</c> (viewer, like every API read) is the same report with the list.
/// </summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/healthz", Probe)
            .WithName("Healthz")
            .WithTags("Health");
        routes.MapGet("/api/health", Report)
            .WithName("GetHealth")
            .WithTags("Health");
        return routes;
    }

    private static async Task<Results<Ok<HealthReport>, ProblemHttpResult>> Probe(
        ServerSettings settings, DurableRuntimeService runtime, ScriptEnvironmentReview review, CancellationToken cancellationToken)
    {
        var answer = await Report(settings, runtime, review, cancellationToken);
        return answer.Result is Ok<HealthReport> { Value: { Problems.Count: > 0 } report }
            ? TypedResults.Ok(report with { Problems = [] })
            : answer;
    }

    private static async Task<Results<Ok<HealthReport>, ProblemHttpResult>> Report(
        ServerSettings settings, DurableRuntimeService runtime, ScriptEnvironmentReview review, CancellationToken cancellationToken)
    {
        if (!runtime.IsReady)
        {
            return Problems.Unavailable("The durable runtime is still recovering executions.");
        }

        IReadOnlyList<StoredScriptProblem> problems;
        IReadOnlyList<StoredScriptProblem> running;
        try
        {
            problems = await review.AllAsync(cancellationToken);
            running = await RunningRunScriptCheck.ReadAsync(runtime.Runtime.Client, settings.ScriptEnvironmentRule(), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return TypedResults.Ok(new HealthReport(
                HealthReport.Degraded,
                settings.DataDirectory,
                $"The stored site and flows could not be checked against {ScriptEnvironmentRefusal.Setting}: {ex.Message}",
                []));
        }

        if (problems.Count == 0 && running.Count == 0)
        {
            return TypedResults.Ok(new HealthReport(HealthReport.Ok, settings.DataDirectory, null, []));
        }

        var detail = string.Empty;
        if (problems.Count > 0)
        {
            detail = $"{problems.Count} stored script environment variable(s) are refused by the current {ScriptEnvironmentRefusal.Setting}: "
                + "scheduled backups, restores and flow runs that would pass them are refused until fixed. "
                + $"Fix: {ScriptEnvironmentRefusal.Fix(settings.ScriptEnvironmentRule())}. ";
        }

        if (running.Count > 0)
        {
            detail += $"{running.Count} script environment variable(s) of {running.Select(p => p.Name).Distinct(StringComparer.Ordinal).Count()} running run(s) are refused by the current {ScriptEnvironmentRefusal.Setting}: "
                + "each such run started before the setting changed, and its disk agent will refuse the script when the run gets there. "
                + $"Cancel the run (udc workflow cancel ID) or widen {ScriptEnvironmentRefusal.Setting}. ";
        }

        detail += "Signed in, GET /api/health lists them (udc site show lists the site's).";
        return TypedResults.Ok(new HealthReport(HealthReport.Degraded, settings.DataDirectory, detail, [.. problems, .. running]));
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using UdcBackup.Server.Configuration;
using UdcBackup.Server.Runtime;
using UdcBackup.Site.Changes;
using UdcBackup.Site.Loading;
using UdcBackup.Site.Serialization;
using UdcBackup.Site.Validation;
using UdcBackup.Workflows.Backup;

namespace UdcBackup.Server.Site;

/// <summary>
/// <c>/api/site</c>: apply a site definition (YAML) and show stored versions. An apply is
/// validated with the site library on the server (the CLI validated it already, but the server
/// never trusts that; scripts' environments with the controller's configured prefixes), then every job is planned once to be sure runs can start; any problem
/// answers 400 as RFC 7807 problem details (<c>application/problem+json</c>) whose extension
/// member <c>errors</c> lists every error with file, path, line and fix, and stores nothing. A valid apply stores a new version (or
/// reports that the content equals the current one) and sets the jobs' schedules. Show checks the
/// stored version's script calls again with the current rule and lists what it refuses, since the
/// setting may have narrowed after the apply (see <see cref="ScriptEnvironmentStartupCheck"/>).
/// </summary>
public static class SiteEndpoints
{
    /// <summary>Registers the site version store (<c>DATA/site.db</c>) and the start-up check of stored script environments.</summary>
    public static IServiceCollection AddSiteServices(this IServiceCollection services, ServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton(new SiteVersionStore(Path.Combine(settings.DataDirectory, "site.db")));
        services.AddSingleton<ScriptEnvironmentReview>();

        // A step of the durable runtime's own start, not a hosted service of its own: it must change
        // the job schedules before the runtime catches up fire times missed while the controller was down.
        return services.AddSingleton<IRuntimeStartupStep, ScriptEnvironmentStartupCheck>();
    }

    public static IEndpointRouteBuilder MapSiteEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/site").WithTags("Site");
        group.MapPost("/", Apply).WithName("ApplySite");
        group.MapGet("/", Show).WithName("ShowSite");
        routes.MapJobEndpoints();
        routes.MapScriptEnvironmentEndpoints();
        return routes;
    }

    private static async Task<Results<Ok<SiteApplyResult>, ProblemHttpResult>> Apply(
        SiteApplyRequest request, SiteVersionStore store, DurableRuntimeService host, ServerSettings settings, CancellationToken cancellationToken)
    {
        var file = string.IsNullOrWhiteSpace(request.File) ? "site.yaml" : request.File;
        var loaded = SiteDefinitionLoader.Parse(request.Yaml ?? string.Empty, file, settings.ScriptEnvironmentRule());
        if (!loaded.IsValid)
        {
            return Refused("The site definition is invalid; nothing was stored.", loaded.Errors);
        }

        var site = loaded.Site!;
        var planErrors = new List<SiteError>();
        foreach (var job in site.Jobs)
        {
            try
            {
                BackupJobInputs.FromSite(site, job.Id, runId: string.Empty, siteVersion: 0);
                SiteInputs.ValidateRunId($"{SiteSchedules.Prefix}{job.Id}-20000101T000000Z");
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
            {
                planErrors.Add(new SiteError(file, $"jobs[{job.Id}]", ex.Message, "change the job or its firewalls so a run can be planned (job ids up to 43 characters; nftables firewalls)"));
            }
        }

        if (planErrors.Count > 0)
        {
            return Refused("The site cannot be run as defined; nothing was stored.", planErrors);
        }

        var previous = await store.GetAsync(cancellationToken: cancellationToken);
        var json = CanonicalSiteJson.Serialize(site);
        var hash = loaded.ContentHash ?? CanonicalSiteJson.ContentHash(site);
        var (version, unchanged) = await store.AddAsync(hash, json, DateTimeOffset.UtcNow, cancellationToken);
        if (unchanged)
        {
            return TypedResults.Ok(new SiteApplyResult(version.Version, hash, true, [], []));
        }

        var changes = SiteChanges.Compare(previous is null ? null : CanonicalSiteJson.Deserialize(previous.Json), site).Select(c => c.ToString()).ToList();
        var schedules = await SiteSchedules.ApplyAsync(host.Runtime.Schedules, site, version.Version, settings.ScriptEnvironmentRule(), cancellationToken);
        return TypedResults.Ok(new SiteApplyResult(version.Version, hash, false, changes, schedules));
    }

    // The CLI reads title and errors (SiteErrorsResponse's shape), so both stay top-level members.
    private static ProblemHttpResult Refused(string title, IReadOnlyList<SiteError> errors) =>
        TypedResults.Problem(
            $"{errors.Count} error(s); each names the file, the path in it and the fix.",
            statusCode: StatusCodes.Status400BadRequest,
            title: title,
            extensions: new Dictionary<string, object?> { ["errors"] = errors });

    private static async Task<Results<Ok<SiteVersionDetails>, ProblemHttpResult>> Show(int? version, SiteVersionStore store, ServerSettings settings, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(version, cancellationToken) is not { } found)
        {
            return TypedResults.Problem(
                version is null ? "No site has been applied yet: udc site apply FILE." : $"There is no site version {version}.",
                statusCode: StatusCodes.Status404NotFound,
                title: "Not found.");
        }

        var rule = settings.ScriptEnvironmentRule();
        var problems = ScriptEnvironmentCheck.Site(CanonicalSiteJson.Deserialize(found.Json), rule);
        return TypedResults.Ok(new SiteVersionDetails(found.Version, found.AppliedAt, found.ContentHash, found.Json, rule.Prefixes, problems));
    }
}

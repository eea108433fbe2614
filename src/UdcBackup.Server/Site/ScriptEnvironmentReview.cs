using UdcBackup.Server.Configuration;
using UdcBackup.Server.Flows;
using UdcBackup.Site.Model;
using UdcBackup.Site.Serialization;
using UdcBackup.Site.Validation;

namespace UdcBackup.Server.Site;

/// <summary>
/// Checks what is stored and can run against the controller's current script environment rule:
/// every script of the active site version and every flow's published version (drafts cannot
/// run until published, and publishing checks them). Reads <c>DATA/site.db</c> and
/// <c>DATA/flows.db</c> on each call, so the answer follows an apply or a publish at once; both
/// are small reads. A store that cannot be read throws (the caller reports it).
/// </summary>
public sealed class ScriptEnvironmentReview
{
    private readonly ServerSettings _settings;
    private readonly SiteVersionStore _sites;

    public ScriptEnvironmentReview(ServerSettings settings, SiteVersionStore sites)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(sites);
        _settings = settings;
        _sites = sites;
    }

    /// <summary>The active site version (null when none was applied) and its refused variables.</summary>
    public async Task<(SiteDefinition Site, int Version, IReadOnlyList<StoredScriptProblem> Problems)?> SiteAsync(CancellationToken cancellationToken)
    {
        if (await _sites.GetAsync(cancellationToken: cancellationToken) is not { } current)
        {
            return null;
        }

        var site = CanonicalSiteJson.Deserialize(current.Json);
        var problems = ScriptEnvironmentCheck.Site(site, _settings.ScriptEnvironmentRule())
            .Select(p => StoredScriptProblem.OfSite(site.Name, current.Version, p))
            .ToList();
        return (site, current.Version, problems);
    }

    /// <summary>The refused variables of every flow's published version, by flow id.</summary>
    public async Task<IReadOnlyList<StoredScriptProblem>> PublishedFlowsAsync(CancellationToken cancellationToken)
    {
        var rule = _settings.ScriptEnvironmentRule();
        var store = new FlowStore(Path.Combine(_settings.DataDirectory, FlowStore.FileName));
        var problems = new List<StoredScriptProblem>();
        foreach (var flow in await store.ListAsync(cancellationToken))
        {
            if (flow.PublishedVersion > 0 && await store.VersionAsync(flow.Id, flow.PublishedVersion, cancellationToken) is { } published)
            {
                problems.AddRange(FlowEnvironmentCheck.Problems(published.Definition, rule).Select(p => StoredScriptProblem.OfFlow(flow.Id, published.Version, p)));
            }
        }

        return problems;
    }

    /// <summary>Both lists, the site's first.</summary>
    public async Task<IReadOnlyList<StoredScriptProblem>> AllAsync(CancellationToken cancellationToken)
    {
        var site = await SiteAsync(cancellationToken);
        return [.. site?.Problems ?? [], .. await PublishedFlowsAsync(cancellationToken)];
    }
}

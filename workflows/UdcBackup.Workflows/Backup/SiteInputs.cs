using System.Text.RegularExpressions;
using UdcBackup.Activities.Firewall;
using UdcBackup.Activities.Systems;
using UdcBackup.Durable.Workflows;
using UdcBackup.Site.Model;
using UdcBackup.Site.Planning;

namespace UdcBackup.Workflows.Backup;

/// <summary>
/// Pieces of workflow input taken from the site model: firewalls, windows (from the
/// <see cref="JobPlanner"/> plan, so the workflows open exactly what the plan preview shows),
/// scripts and data sets. Pure functions; they throw <see cref="ArgumentException"/> with the
/// reason when the site cannot give what a run needs.
/// </summary>
public static partial class SiteInputs
{
    /// <summary>What a run id takes, for messages that name the id their own way.</summary>
    public const string RunIdRule = "must be 1-64 characters from A-Z a-z 0-9 . _ : - (it tags the firewall rules)";

    /// <summary>Whether <paramref name="runId"/> is a valid run id (see <see cref="ValidateRunId"/>).</summary>
    public static bool IsRunId(string? runId) => RunIdPattern().IsMatch(runId ?? string.Empty);

    /// <summary>
    /// The part of a backup's or a restore's input that reaches the media agent through the
    /// firewalls (<see cref="IValidatedWorkflowInput"/>): the agent, its address and repository, and
    /// the lists of firewalls and windows (empty when no firewall stands between the zones).
    /// </summary>
    public static WorkflowInputProblems RequiredTransfer(
        this WorkflowInputProblems problems, string mediaAgentId, string mediaEndpoint, string repository, IReadOnlyList<FirewallTarget> firewalls, IReadOnlyList<WindowSpec> windows)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return problems
            .Required("mediaAgentId", mediaAgentId, "the media agent that holds the repository")
            .Required("mediaEndpoint", mediaEndpoint, "the media agent's address, host:port")
            .Required("repository", repository, "the media agent's repository name")
            .Required("firewalls", firewalls, "a list, empty when no firewall stands between the zones")
            .Required("windows", windows, "a list of the firewall windows to open, may be empty");
    }

    /// <summary>Run ids become firewall tags, so they use the tag alphabet and length.</summary>
    public static void ValidateRunId(string runId)
    {
        if (!IsRunId(runId))
        {
            throw new ArgumentException($"run id '{runId}' {RunIdRule}", nameof(runId));
        }
    }

    /// <summary>
    /// The id of a run an operator starts: <c>{kind}-{name}-{yyyyMMddTHHmmssfffZ}</c>, unique to the
    /// millisecond so two starts in the same second are two runs. A name too long for the 64-character
    /// tag is cut and marked with six hex digits of its SHA-256, so every valid site name gives a valid,
    /// still distinct id.
    /// </summary>
    public static string RunId(string kind, string name, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var stamp = at.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var head = $"{kind}-{name}";
        const int room = MaxRunIdLength - 20; // "-" and the 19-character stamp
        if (head.Length > room)
        {
            var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name)))[..6];
            head = $"{head[..(room - 7)]}.{hash}";
        }

        var id = $"{head}-{stamp}";
        ValidateRunId(id);
        return id;
    }

    private const int MaxRunIdLength = 64;

    public static IReadOnlyList<FirewallTarget> Firewalls(SiteDefinition site, JobPlan plan)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(plan);
        return plan.Steps.Where(s => s.Kind == PlanStepKind.OpenWindow)
            .Select(s => s.Window!.Firewall)
            .Distinct(StringComparer.Ordinal)
            .Select(name => Target(site.FindFirewall(name) ?? throw new ArgumentException($"the plan names unknown firewall '{name}'", nameof(plan))))
            .ToList();
    }

    public static IReadOnlyList<WindowSpec> Windows(IReadOnlyList<FirewallTarget> firewalls, JobPlan plan)
    {
        ArgumentNullException.ThrowIfNull(firewalls);
        ArgumentNullException.ThrowIfNull(plan);
        return plan.Steps.Where(s => s.Kind == PlanStepKind.OpenWindow)
            .Select(s => new WindowSpec(firewalls.Single(f => f.Name == s.Window!.Firewall), s.Window!.SystemId, s.Window.SourceAddress, s.Window.DestinationAddress))
            .ToList();
    }

    public static FirewallTarget Target(FirewallDefinition firewall)
    {
        ArgumentNullException.ThrowIfNull(firewall);
        if (firewall.Kind != FirewallKind.Nftables)
        {
            throw new ArgumentException($"firewall '{firewall.Name}' is of kind {firewall.Kind}; the backup workflows drive nftables firewalls only so far");
        }

        var nft = firewall.Nftables ?? NftablesSettings.Default;
        return new FirewallTarget(firewall.Name, firewall.DesignatedPort, nft.Namespace, nft.CommandPrefix, nft.Family, nft.Table, nft.Chain);
    }

    public static ScriptSpec? Script(ScriptCall? call) =>
        call is null ? null : new ScriptSpec(call.Name, call.Args.ToList(), new Dictionary<string, string>(call.Env, StringComparer.Ordinal));

    public static DataSetSpec DataSet(DataSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        return new DataSetSpec(set.Name, set.Paths.ToList(), set.Excludes.ToList(), set.Restore == DataSetRestoreMode.Replace);
    }

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex RunIdPattern();
}

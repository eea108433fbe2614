using FluentValidation;
using FluentValidation.Results;
using UdcBackup.ScriptContract;
using UdcBackup.Site.Model;
using UdcBackup.Site.Topology;

namespace UdcBackup.Site.Validation;

/// <summary>
/// Validates a whole site: every entity with its own validator, then the rules that need the
/// whole site — unique ids, references between entities (zones, firewalls, media agents,
/// repositories, systems), media agents in a controller zone, a firewall route from each job's
/// systems to its media agent, and firewall ports that match the port the media agent listens on.
/// Reference errors are reported once, at the referring key. Scripts' environments are checked
/// with the rule of the disk agents the controller drives (<see cref="ScriptEnvironmentRule"/>).
/// </summary>
public sealed class SiteDefinitionValidator : AbstractValidator<SiteDefinition>
{
    /// <summary>Validates with the default disk agents' rule (<see cref="ScriptEnvironmentRule.Default"/>).</summary>
    public SiteDefinitionValidator()
        : this(ScriptEnvironmentRule.Default)
    {
    }

    /// <param name="environment">The script environment rule (the controller's configured prefixes).</param>
    public SiteDefinitionValidator(ScriptEnvironmentRule environment)
    {
        RuleFor(s => s.Name).Must(SiteNames.IsIdentifier)
            .WithMessage(s => $"site name '{s.Name}' is missing or not a valid name.")
            .WithFix($"add 'site: <name>' at the top, made of {SiteNames.IdentifierRule}.");
        RuleFor(s => s.Zones).NotEmpty()
            .WithMessage("the site has no zones.")
            .WithFix("add 'zones:' with at least a controller zone and a protected zone.");
        RuleForEach(s => s.Zones).SetValidator(new ZoneValidator());
        RuleForEach(s => s.Firewalls).SetValidator(new FirewallValidator());
        RuleForEach(s => s.MediaAgents).SetValidator(new MediaAgentValidator());
        RuleForEach(s => s.Systems).SetValidator(new ProtectedSystemValidator(environment));
        RuleForEach(s => s.Jobs).SetValidator(new BackupJobValidator());
        RuleFor(s => s).Custom(CheckUniqueNames);
        RuleFor(s => s).Custom(CheckReferences);
        RuleFor(s => s).Custom(CheckRoutes);
    }

    private static void Fail(ValidationContext<SiteDefinition> context, string path, string message, string fix) =>
        context.AddFailure(new ValidationFailure(path, message) { CustomState = fix });

    private static void CheckUniqueNames(SiteDefinition site, ValidationContext<SiteDefinition> context)
    {
        Unique(context, site.Zones.Select(z => z.Name).ToList(), "zones", "name", "zone");
        Unique(context, site.Firewalls.Select(f => f.Name).ToList(), "firewalls", "name", "firewall");
        Unique(context, site.MediaAgents.Select(m => m.Id).ToList(), "mediaAgents", "id", "media agent");
        Unique(context, site.Systems.Select(s => s.Id).ToList(), "systems", "id", "system");
        Unique(context, site.Jobs.Select(j => j.Id).ToList(), "jobs", "id", "job");
        for (var i = 0; i < site.MediaAgents.Count; i++)
        {
            Unique(context, site.MediaAgents[i].Repositories.Select(r => r.Name).ToList(), $"mediaAgents[{i}].repositories", "name", "repository");
        }
    }

    private static void Unique(ValidationContext<SiteDefinition> context, List<string> names, string list, string key, string what)
    {
        var firstAt = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i].Length == 0)
            {
                continue;
            }

            if (firstAt.TryGetValue(names[i], out var first))
            {
                Fail(context, $"{list}[{i}].{key}", $"duplicate {what} '{names[i]}' (already defined at {list}[{first}]).", $"give this {what} another {key} or remove one of the two.");
            }
            else
            {
                firstAt[names[i]] = i;
            }
        }
    }

    private static void CheckReferences(SiteDefinition site, ValidationContext<SiteDefinition> context)
    {
        var zones = site.Zones.Select(z => z.Name).ToHashSet(StringComparer.Ordinal);
        var zoneList = string.Join(", ", zones);
        for (var f = 0; f < site.Firewalls.Count; f++)
        {
            var between = site.Firewalls[f].Between;
            for (var z = 0; z < between.Count; z++)
            {
                if (!zones.Contains(between[z]))
                {
                    Fail(context, $"firewalls[{f}].between[{z}]", $"unknown zone '{between[z]}'.", $"use one of the zones defined under 'zones' ({zoneList}) or add a zone named '{between[z]}'.");
                }
            }
        }

        for (var m = 0; m < site.MediaAgents.Count; m++)
        {
            var agent = site.MediaAgents[m];
            if (!zones.Contains(agent.Zone))
            {
                Fail(context, $"mediaAgents[{m}].zone", $"unknown zone '{agent.Zone}'.", $"use one of the zones defined under 'zones' ({zoneList}).");
            }
            else if (site.FindZone(agent.Zone)!.Trust != ZoneTrust.Controller)
            {
                Fail(context, $"mediaAgents[{m}].zone", $"media agent '{agent.Id}' is in zone '{agent.Zone}', which is not a controller zone; repositories must stay in the most trusted zone.", "move the media agent to a zone with 'trust: controller'.");
            }
        }

        for (var s = 0; s < site.Systems.Count; s++)
        {
            var system = site.Systems[s];
            if (!zones.Contains(system.Zone))
            {
                Fail(context, $"systems[{s}].zone", $"unknown zone '{system.Zone}'.", $"use one of the zones defined under 'zones' ({zoneList}).");
            }
        }

        var systems = site.Systems.Select(x => x.Id).ToHashSet(StringComparer.Ordinal);
        for (var j = 0; j < site.Jobs.Count; j++)
        {
            var job = site.Jobs[j];
            for (var k = 0; k < job.Systems.Count; k++)
            {
                if (!systems.Contains(job.Systems[k]))
                {
                    Fail(context, $"jobs[{j}].systems[{k}]", $"unknown system '{job.Systems[k]}'.", $"use the id of a system defined under 'systems' ({string.Join(", ", systems)}).");
                }
            }

            if (job.MediaAgent.Length == 0)
            {
                continue;
            }

            var agent = site.FindMediaAgent(job.MediaAgent);
            if (agent is null)
            {
                Fail(context, $"jobs[{j}].mediaAgent", $"unknown media agent '{job.MediaAgent}'.", $"use the id of a media agent defined under 'mediaAgents' ({string.Join(", ", site.MediaAgents.Select(a => a.Id))}).");
            }
            else if (job.Repository.Length > 0 && agent.FindRepository(job.Repository) is null)
            {
                Fail(context, $"jobs[{j}].repository", $"media agent '{agent.Id}' has no repository '{job.Repository}'.", $"use one of its repositories ({string.Join(", ", agent.Repositories.Select(r => r.Name))}) or add it to the media agent.");
            }
        }
    }

    private static void CheckRoutes(SiteDefinition site, ValidationContext<SiteDefinition> context)
    {
        // With a firewall joining an unknown zone the graph is wrong already; that error is
        // reported at the firewall, and "no route" would only be its echo.
        if (site.Firewalls.Any(f => f.Between.Any(z => site.FindZone(z) is null)))
        {
            return;
        }

        var reported = new HashSet<string>(StringComparer.Ordinal);
        for (var j = 0; j < site.Jobs.Count; j++)
        {
            var job = site.Jobs[j];
            var agent = site.FindMediaAgent(job.MediaAgent);
            if (agent is null || site.FindZone(agent.Zone) is null)
            {
                continue;
            }

            var agentPort = Endpoints.TryParse(agent.Endpoint, out _, out var port) ? port : 0;
            for (var k = 0; k < job.Systems.Count; k++)
            {
                var system = site.FindSystem(job.Systems[k]);
                if (system is null || site.FindZone(system.Zone) is null)
                {
                    continue;
                }

                var route = FirewallRoute.Find(site, system.Zone, agent.Zone);
                if (route is null)
                {
                    Fail(context, $"jobs[{j}].systems[{k}]", $"system '{system.Id}' is in zone '{system.Zone}', which has no firewall path to zone '{agent.Zone}' of media agent '{agent.Id}'.", $"add a firewall with 'between: [{agent.Zone}, {system.Zone}]' (or a chain of firewalls), or move the system to a zone that has one.");
                    continue;
                }

                foreach (var firewall in route)
                {
                    var f = IndexOf(site.Firewalls, firewall);
                    if (SiteNames.IsPort(agentPort) && firewall.DesignatedPort != agentPort && reported.Add($"{f}/{agent.Id}"))
                    {
                        Fail(context, $"firewalls[{f}].designatedPort", $"firewall '{firewall.Name}' opens port {firewall.DesignatedPort}, but media agent '{agent.Id}' (job '{job.Id}') listens on {agentPort}, so the streams would be dropped.", $"set designatedPort to {agentPort} or change the port of media agent '{agent.Id}''s endpoint.");
                    }
                }
            }
        }
    }

    private static int IndexOf(IReadOnlyList<FirewallDefinition> firewalls, FirewallDefinition firewall)
    {
        for (var i = 0; i < firewalls.Count; i++)
        {
            if (ReferenceEquals(firewalls[i], firewall))
            {
                return i;
            }
        }

        return -1;
    }
}

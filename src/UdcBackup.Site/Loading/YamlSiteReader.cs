using System.Globalization;
using System.Text.RegularExpressions;
using UdcBackup.Site.Model;
using YamlDotNet.RepresentationModel;

namespace UdcBackup.Site.Loading;

/// <summary>
/// Turns the YAML tree of a site file into the model, key by key. Structural problems (unknown
/// keys, wrong node types, values that are not numbers, booleans or allowed names) are recorded in
/// the context and the value is left empty, so that the reading goes on and the validators can
/// still report every other problem in the same pass. Missing values are left for the validators.
/// </summary>
internal sealed partial class YamlSiteReader(YamlReadContext context)
{
    public SiteDefinition Read(YamlNode? root)
    {
        var map = context.Mapping(root, string.Empty, "site", "zones", "firewalls", "mediaAgents", "systems", "jobs");
        if (root is null || map is null)
        {
            if (root is null)
            {
                context.Error(string.Empty, null, "the file is empty.", "write a site definition with the keys site, zones, firewalls, mediaAgents, systems and jobs (see docs/design/site-model.md).");
            }

            return new SiteDefinition(string.Empty, [], [], [], [], []);
        }

        return new SiteDefinition(
            map.String("site") ?? string.Empty,
            map.Sequence("zones", ReadZone),
            map.Sequence("firewalls", ReadFirewall),
            map.Sequence("mediaAgents", ReadMediaAgent),
            map.Sequence("systems", ReadSystem),
            map.Sequence("jobs", ReadJob));
    }

    private Zone? ReadZone(YamlNode node, string path)
    {
        var map = context.Mapping(node, path, "name", "trust");
        return map is null ? null : new Zone(map.String("name") ?? string.Empty, map.Enumeration<ZoneTrust>("trust") ?? ZoneTrust.Protected);
    }

    private FirewallDefinition? ReadFirewall(YamlNode node, string path)
    {
        var map = context.Mapping(node, path, "name", "kind", "designatedPort", "between", "nftables", "commands");
        if (map is null)
        {
            return null;
        }

        var kind = map.Enumeration<FirewallKind>("kind") ?? FirewallKind.Nftables;
        NftablesSettings? nftables = null;
        if (map.Mapping("nftables", "namespace", "commandPrefix", "family", "table", "chain") is { } nft)
        {
            var defaults = NftablesSettings.Default;
            nftables = new NftablesSettings(
                nft.String("namespace"),
                nft.String("commandPrefix"),
                nft.String("family") ?? defaults.Family,
                nft.String("table") ?? defaults.Table,
                nft.String("chain") ?? defaults.Chain);
        }
        else if (kind == FirewallKind.Nftables)
        {
            nftables = NftablesSettings.Default;
        }

        CommandTemplates? commands = null;
        if (map.Mapping("commands", "open", "close") is { } cmd)
        {
            commands = new CommandTemplates(cmd.String("open") ?? string.Empty, cmd.String("close") ?? string.Empty);
        }

        return new FirewallDefinition(
            map.String("name") ?? string.Empty,
            kind,
            map.Integer("designatedPort") ?? 0,
            map.Strings("between"),
            nftables,
            commands);
    }

    private MediaAgent? ReadMediaAgent(YamlNode node, string path)
    {
        var map = context.Mapping(node, path, "id", "zone", "endpoint", "address", "repositories");
        if (map is null)
        {
            return null;
        }

        var repositories = map.Sequence("repositories", (item, itemPath) =>
        {
            var repo = context.Mapping(item, itemPath, "name", "path");
            return repo is null ? null : new Repository(repo.String("name") ?? string.Empty, repo.String("path") ?? string.Empty);
        });
        return new MediaAgent(
            map.String("id") ?? string.Empty,
            map.String("zone") ?? string.Empty,
            map.String("endpoint") ?? string.Empty,
            map.String("address") ?? string.Empty,
            repositories);
    }

    private ProtectedSystem? ReadSystem(YamlNode node, string path)
    {
        var map = context.Mapping(node, path, "id", "zone", "agentEndpoint", "address", "applicationKind", "dataSets", "scripts", "tier");
        if (map is null)
        {
            return null;
        }

        var dataSets = map.Sequence("dataSets", (item, itemPath) =>
        {
            var set = context.Mapping(item, itemPath, "name", "paths", "excludes", "afterPostBackup", "restore");
            return set is null
                ? null
                : new DataSet(set.String("name") ?? string.Empty, set.Strings("paths"), set.Strings("excludes"), set.Boolean("afterPostBackup") ?? false, set.Enumeration<DataSetRestoreMode>("restore") ?? DataSetRestoreMode.Merge);
        });

        var scripts = SystemScripts.None;
        if (map.Mapping("scripts", "preBackup", "postBackup", "stopPrograms", "startPrograms") is { } s)
        {
            scripts = new SystemScripts(
                ReadScript(s, "preBackup"),
                ReadScript(s, "postBackup"),
                ReadScript(s, "stopPrograms"),
                ReadScript(s, "startPrograms"));
        }

        TierInfo? tier = null;
        if (map.Mapping("tier", "application", "name", "order") is { } t)
        {
            tier = new TierInfo(t.String("application") ?? string.Empty, t.String("name") ?? string.Empty, t.Integer("order") ?? 0);
        }

        return new ProtectedSystem(
            map.String("id") ?? string.Empty,
            map.String("zone") ?? string.Empty,
            map.String("agentEndpoint") ?? string.Empty,
            map.String("address") ?? string.Empty,
            map.Enumeration<ApplicationKind>("applicationKind") ?? ApplicationKind.None,
            dataSets,
            scripts,
            tier);
    }

    /// <summary>A script is either its name alone or a mapping with name, args and env.</summary>
    private ScriptCall? ReadScript(YamlMappingReader scripts, string key)
    {
        var node = scripts[key];
        var path = scripts.PathOf(key);
        if (node is YamlMappingNode)
        {
            var call = context.Mapping(node, path, "name", "args", "env");
            return call is null ? null : new ScriptCall(call.String("name") ?? string.Empty, call.Strings("args"), ReadEnv(call));
        }

        var name = context.Scalar(node, path);
        return name is null ? null : new ScriptCall(name, [], new SortedDictionary<string, string>(StringComparer.Ordinal));
    }

    /// <summary>Environment variables: any names are read here, the validator restricts them.</summary>
    private SortedDictionary<string, string> ReadEnv(YamlMappingReader call)
    {
        var env = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (call["env"] is not YamlMappingNode node)
        {
            context.Mapping(call["env"], call.PathOf("env"));
            return env;
        }

        context.Record(call.PathOf("env"), node);
        foreach (var (key, value) in node.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? string.Empty;
            var text = context.Scalar(value, YamlReadContext.Child(call.PathOf("env"), name));
            env[name] = text ?? string.Empty;
        }

        return env;
    }

    private BackupJob? ReadJob(YamlNode node, string path)
    {
        var map = context.Mapping(node, path, "id", "systems", "mediaAgent", "repository", "schedule", "levels", "retention", "continueOnSystemFailure");
        if (map is null)
        {
            return null;
        }

        var schedule = new JobSchedule(string.Empty, string.Empty, TimeSpan.Zero);
        if (map.Mapping("schedule", "cron", "timeZone", "window") is { } sched)
        {
            schedule = new JobSchedule(sched.String("cron") ?? string.Empty, sched.String("timeZone") ?? string.Empty, ReadDuration(sched, "window"));
        }

        var levels = new LevelPattern([], null);
        if (map.Mapping("levels", "fullOn", "fullEvery") is { } lv)
        {
            var days = lv.Sequence("fullOn", (item, itemPath) => context.Enumeration<DayOfWeek>(item, itemPath) is { } day ? (object)day : null);
            levels = new LevelPattern(days.Cast<DayOfWeek>().ToList(), lv.Integer("fullEvery"));
        }

        var retention = new RetentionPolicy(0, 0, 0, 0, 0);
        if (map.Mapping("retention", "keepLast", "keepDaily", "keepWeekly", "keepMonthly", "keepYearly") is { } r)
        {
            retention = new RetentionPolicy(
                r.Integer("keepLast") ?? 0,
                r.Integer("keepDaily") ?? 0,
                r.Integer("keepWeekly") ?? 0,
                r.Integer("keepMonthly") ?? 0,
                r.Integer("keepYearly") ?? 0);
        }

        return new BackupJob(
            map.String("id") ?? string.Empty,
            map.Strings("systems"),
            map.String("mediaAgent") ?? string.Empty,
            map.String("repository") ?? string.Empty,
            schedule,
            levels,
            retention,
            map.Boolean("continueOnSystemFailure") ?? true);
    }

    /// <summary>Durations are written like <c>90s</c>, <c>45m</c>, <c>2h</c>, <c>1h30m</c> or <c>1d</c>.</summary>
    private TimeSpan ReadDuration(YamlMappingReader map, string key)
    {
        var text = map.String(key);
        if (text is null)
        {
            return TimeSpan.Zero;
        }

        var match = DurationPattern().Match(text);
        if (!match.Success || text.Length == 0)
        {
            context.Error(map.PathOf(key), map[key], $"'{text}' is not a duration.", $"write '{map.PathOf(key)}' like 90s, 45m, 2h or 1h30m.");
            return TimeSpan.Zero;
        }

        static int Part(Group group) => group.Success ? int.Parse(group.Value, CultureInfo.InvariantCulture) : 0;
        return new TimeSpan(Part(match.Groups["d"]), Part(match.Groups["h"]), Part(match.Groups["m"]), Part(match.Groups["s"]));
    }

    [GeneratedRegex(@"^(?:(?<d>\d{1,4})d)?(?:(?<h>\d{1,5})h)?(?:(?<m>\d{1,6})m)?(?:(?<s>\d{1,7})s)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();
}

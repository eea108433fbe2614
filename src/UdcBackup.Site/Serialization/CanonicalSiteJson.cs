using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using UdcBackup.Site.Model;

namespace UdcBackup.Site.Serialization;

/// <summary>
/// The canonical JSON form of a site: compact, camel-case keys in declaration order, enums in
/// kebab case, durations as <c>hh:mm:ss</c>, and the top-level lists (and each media agent's
/// repositories, and script variables) sorted by id, because their order carries no meaning. Lists whose order does
/// mean something (a job's systems, a data set's paths, script arguments) keep it. Two files
/// that describe the same site therefore have the same <see cref="ContentHash"/>, which is how the
/// controller recognises that applying a file again changes nothing.
/// </summary>
public static class CanonicalSiteJson
{
    private static readonly JsonSerializerOptions Compact = CreateOptions(indented: false);
    private static readonly JsonSerializerOptions Indented = CreateOptions(indented: true);

    public static string Serialize(SiteDefinition site, bool indented = false) =>
        JsonSerializer.Serialize(Normalize(site), indented ? Indented : Compact);

    /// <exception cref="JsonException">The text is not a serialized site.</exception>
    public static SiteDefinition Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize<SiteDefinition>(json, Compact) ?? throw new JsonException("the JSON text is null, not a site definition.");
    }

    /// <summary><c>sha256:</c> and the lower-case hex SHA-256 of the compact canonical JSON.</summary>
    public static string ContentHash(SiteDefinition site) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Serialize(site))));

    private static SiteDefinition Normalize(SiteDefinition site)
    {
        ArgumentNullException.ThrowIfNull(site);
        return site with
        {
            Zones = [.. site.Zones.OrderBy(z => z.Name, StringComparer.Ordinal)],
            Firewalls = [.. site.Firewalls.OrderBy(f => f.Name, StringComparer.Ordinal)],
            MediaAgents = [.. site.MediaAgents
                .OrderBy(m => m.Id, StringComparer.Ordinal)
                .Select(m => m with { Repositories = [.. m.Repositories.OrderBy(r => r.Name, StringComparer.Ordinal)] })],
            Systems = [.. site.Systems.OrderBy(s => s.Id, StringComparer.Ordinal).Select(s => s with { Scripts = Normalize(s.Scripts) })],
            Jobs = [.. site.Jobs.OrderBy(j => j.Id, StringComparer.Ordinal)],
        };
    }

    private static SystemScripts Normalize(SystemScripts scripts) => new(
        Normalize(scripts.PreBackup), Normalize(scripts.PostBackup), Normalize(scripts.StopPrograms), Normalize(scripts.StartPrograms));

    private static ScriptCall? Normalize(ScriptCall? call) =>
        call is null ? null : call with { Env = new SortedDictionary<string, string>(call.Env.ToDictionary(), StringComparer.Ordinal) };

    private static JsonSerializerOptions CreateOptions(bool indented)
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = indented,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

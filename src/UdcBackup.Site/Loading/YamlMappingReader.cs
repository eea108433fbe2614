using YamlDotNet.RepresentationModel;

namespace UdcBackup.Site.Loading;

/// <summary>
/// Reads one YAML mapping at a known path. On construction every key that is not in the known
/// set is reported as an error (with the closest known key as the suggested fix), because a
/// mistyped key that is silently ignored leaves a setting at its default without anyone noticing.
/// </summary>
internal sealed class YamlMappingReader
{
    private readonly YamlReadContext _context;
    private readonly Dictionary<string, YamlNode> _values = new(StringComparer.Ordinal);

    public YamlMappingReader(YamlReadContext context, YamlMappingNode node, string path, IReadOnlyList<string> knownKeys)
    {
        _context = context;
        Path = path;
        Node = node;
        foreach (var (keyNode, value) in node.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
            var keyPath = YamlReadContext.Child(path, key);
            if (!knownKeys.Contains(key, StringComparer.Ordinal))
            {
                var closest = Closest(key, knownKeys);
                var fix = closest is null
                    ? $"remove '{key}'; the keys allowed here are {string.Join(", ", knownKeys)}."
                    : $"rename '{key}' to '{closest}' or remove it; the keys allowed here are {string.Join(", ", knownKeys)}.";
                context.Error(keyPath, keyNode, $"unknown key '{key}'.", fix);
                continue;
            }

            context.Map.Record(keyPath, (int)keyNode.Start.Line, (int)keyNode.Start.Column);
            _values[key] = value;
        }
    }

    public string Path { get; }

    public YamlMappingNode Node { get; }

    public YamlNode? this[string key] => _values.GetValueOrDefault(key);

    public string PathOf(string key) => YamlReadContext.Child(Path, key);

    public string? String(string key) => _context.Scalar(this[key], PathOf(key));

    public int? Integer(string key) => _context.Integer(this[key], PathOf(key));

    public bool? Boolean(string key) => _context.Boolean(this[key], PathOf(key));

    public TEnum? Enumeration<TEnum>(string key)
        where TEnum : struct, Enum => _context.Enumeration<TEnum>(this[key], PathOf(key));

    public IReadOnlyList<T> Sequence<T>(string key, Func<YamlNode, string, T?> read)
        where T : class => _context.Sequence(this[key], PathOf(key), read);

    public IReadOnlyList<string> Strings(string key) =>
        _context.Sequence(this[key], PathOf(key), (node, path) => _context.Scalar(node, path));

    public YamlMappingReader? Mapping(string key, params string[] knownKeys) => _context.Mapping(this[key], PathOf(key), knownKeys);

    /// <summary>The known key nearest to a typo, when it is close enough to be the likely intent.</summary>
    private static string? Closest(string key, IReadOnlyList<string> knownKeys)
    {
        var best = knownKeys
            .Select(k => (Key: k, Distance: Distance(key.ToUpperInvariant(), k.ToUpperInvariant())))
            .OrderBy(c => c.Distance)
            .FirstOrDefault();
        return best.Key is not null && best.Distance <= Math.Max(2, best.Key.Length / 3) ? best.Key : null;
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}

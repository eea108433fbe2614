using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace UdcBackup.Site.Loading;

/// <summary>
/// Shared state of one read of a YAML site definition: the file name, the errors found so far and
/// the source map. Offers typed access to nodes that records a precise error (path, line, column,
/// fix) instead of throwing, so that one pass reports every structural problem of the file.
/// </summary>
internal sealed class YamlReadContext(string file)
{
    public string File { get; } = file;

    public List<SiteError> Errors { get; } = [];

    public SourceMap Map { get; } = new();

    public static string Child(string path, string key) => path.Length == 0 ? key : path + "." + key;

    public static string Item(string path, int index) => $"{path}[{index}]";

    public void Error(string path, YamlNode? node, string message, string fix)
    {
        var line = node is null ? (int?)null : (int)node.Start.Line;
        var column = node is null ? (int?)null : (int)node.Start.Column;
        if (line is null && Map.Find(path) is { } known)
        {
            (line, column) = known;
        }

        Errors.Add(new SiteError(File, path, message, fix, line, column));
    }

    public void Record(string path, YamlNode node) => Map.Record(path, (int)node.Start.Line, (int)node.Start.Column);

    /// <summary>A mapping with the keys it may contain; reports any other key as an error.</summary>
    public YamlMappingReader? Mapping(YamlNode? node, string path, params string[] knownKeys)
    {
        if (node is null || IsNull(node))
        {
            return null;
        }

        Record(path, node);
        if (node is not YamlMappingNode mapping)
        {
            var fix = knownKeys.Length == 0
                ? $"write '{path}' as a mapping of NAME: value lines."
                : $"write '{path}' as a mapping with the keys {string.Join(", ", knownKeys)}.";
            Error(path, node, $"expected a mapping (key: value lines) but found {Describe(node)}.", fix);
            return null;
        }

        return new YamlMappingReader(this, mapping, path, knownKeys);
    }

    /// <summary>Items of a sequence, each read by <paramref name="read"/>; a missing sequence is empty.</summary>
    public IReadOnlyList<T> Sequence<T>(YamlNode? node, string path, Func<YamlNode, string, T?> read)
        where T : class
    {
        if (node is null || IsNull(node))
        {
            return [];
        }

        Record(path, node);
        if (node is not YamlSequenceNode sequence)
        {
            Error(path, node, $"expected a list (lines starting with '- ') but found {Describe(node)}.", $"write '{path}' as a list.");
            return [];
        }

        var items = new List<T>(sequence.Children.Count);
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var itemPath = Item(path, i);
            Record(itemPath, sequence.Children[i]);
            if (IsNull(sequence.Children[i]))
            {
                Error(itemPath, sequence.Children[i], "the list item is empty.", "remove the empty '- ' entry or give it a value.");
                continue;
            }

            if (read(sequence.Children[i], itemPath) is { } item)
            {
                items.Add(item);
            }
        }

        return items;
    }

    public string? Scalar(YamlNode? node, string path)
    {
        if (node is null || IsNull(node))
        {
            return null;
        }

        Record(path, node);
        if (node is YamlScalarNode scalar)
        {
            return scalar.Value;
        }

        Error(path, node, $"expected a single value but found {Describe(node)}.", $"write '{path}' as a plain value (quote it if it contains ':' or '#').");
        return null;
    }

    public int? Integer(YamlNode? node, string path)
    {
        var text = Scalar(node, path);
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Error(path, node, $"'{text}' is not a whole number.", $"write '{path}' as a whole number such as 5.");
        return null;
    }

    public bool? Boolean(YamlNode? node, string path)
    {
        var text = Scalar(node, path);
        switch (text)
        {
            case null:
                return null;
            case "true" or "True" or "TRUE" or "yes":
                return true;
            case "false" or "False" or "FALSE" or "no":
                return false;
            default:
                Error(path, node, $"'{text}' is not true or false.", $"write '{path}: true' or '{path}: false'.");
                return null;
        }
    }

    /// <summary>An enum value written in kebab case (<c>database-backup-mode</c>).</summary>
    public TEnum? Enumeration<TEnum>(YamlNode? node, string path)
        where TEnum : struct, Enum
    {
        var text = Scalar(node, path);
        if (text is null)
        {
            return null;
        }

        foreach (var value in Enum.GetValues<TEnum>())
        {
            if (string.Equals(KebabNames.Of(value), text, StringComparison.Ordinal))
            {
                return value;
            }
        }

        var allowed = string.Join(" | ", Enum.GetValues<TEnum>().Select(v => KebabNames.Of(v)));
        Error(path, node, $"'{text}' is not one of {allowed}.", $"set '{path}' to one of {allowed}.");
        return null;
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: null or "" or "~" or "null" };

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode scalar => $"the value '{scalar.Value}'",
        _ => "something else",
    };
}

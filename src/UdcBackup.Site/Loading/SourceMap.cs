namespace UdcBackup.Site.Loading;

/// <summary>
/// Where each path of a site definition sits in its YAML file, so that errors found on the model
/// can point back at a line and column. A path that has no node of its own (a missing key) gets
/// the position of its nearest ancestor that has one.
/// </summary>
internal sealed class SourceMap
{
    private readonly Dictionary<string, (int Line, int Column)> _positions = new(StringComparer.Ordinal);

    public void Record(string path, int line, int column) => _positions.TryAdd(path, (line, column));

    public (int Line, int Column)? Find(string path)
    {
        var current = path;
        while (true)
        {
            if (_positions.TryGetValue(current, out var position))
            {
                return position;
            }

            if (current.Length == 0)
            {
                return null;
            }

            current = Parent(current);
        }
    }

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? string.Empty : path[..cut];
    }
}

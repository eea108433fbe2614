namespace UdcBackup.Site.Loading;

/// <summary>
/// One problem in a site definition: the file, the path inside it (e.g. <c>systems[2].scripts.preBackup</c>),
/// what is wrong, how to fix it, and the 1-based line and column when the YAML parser knows them.
/// </summary>
public sealed record SiteError(string File, string Path, string Message, string Fix, int? Line = null, int? Column = null)
{
    /// <summary>A single line in the compiler style: <c>site.yaml:12:5: systems[2].zone: message. Fix: ...</c>.</summary>
    public override string ToString()
    {
        var where = Line is int line ? $"{File}:{line}:{Column ?? 1}" : File;
        var path = string.IsNullOrEmpty(Path) ? "(document)" : Path;
        return $"{where}: {path}: {Message} Fix: {Fix}";
    }
}

using UdcBackup.ScriptContract;
using UdcBackup.Site.Serialization;
using UdcBackup.Site.Validation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace UdcBackup.Site.Loading;

/// <summary>
/// Loads a site definition from YAML in three passes: the YAML parser (syntax errors, duplicate
/// keys), the reader (unknown keys, wrong types, bad values; see <see cref="YamlSiteReader"/>) and
/// the validators (<see cref="SiteDefinitionValidator"/>). Every problem of every pass is reported
/// with the file, the path, the fix and, where known, line and column. The result carries a model
/// only when there is no error at all, so an invalid file can never be applied in part. Scripts'
/// environments are checked with the given <see cref="ScriptEnvironmentRule"/> (the controller's
/// configured prefixes), by default a default-configured disk agent's.
/// </summary>
public static class SiteDefinitionLoader
{
    public static SiteLoadResult LoadFile(string path, ScriptEnvironmentRule? environment = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new SiteLoadResult(null, null, [new SiteError(path, string.Empty, $"cannot read the file: {e.Message}", "check the file name and its permissions.")]);
        }

        return Parse(text, path, environment);
    }

    /// <summary>Like <see cref="LoadFile"/> but throws <see cref="SiteDefinitionException"/> with every error.</summary>
    public static Model.SiteDefinition LoadValidFile(string path)
    {
        var result = LoadFile(path);
        return result.IsValid ? result.Site! : throw new SiteDefinitionException(result.Errors);
    }

    /// <param name="yaml">The file's text.</param>
    /// <param name="file">The name used in error messages.</param>
    /// <param name="environment">The script environment rule; null for the default disk agent's.</param>
    public static SiteLoadResult Parse(string yaml, string file, ScriptEnvironmentRule? environment = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(file);
        var context = new YamlReadContext(file);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            var message = (e.InnerException as YamlException)?.Message ?? e.Message;
            var error = new SiteError(file, string.Empty, $"the file is not valid YAML: {message}", "correct the YAML syntax at the line and column given (indentation, ':' after keys, quotes around values with ':' or '#', no key written twice).", (int)e.Start.Line, (int)e.Start.Column);
            return new SiteLoadResult(null, null, [error]);
        }

        if (stream.Documents.Count > 1)
        {
            context.Error(string.Empty, stream.Documents[1].RootNode, "the file holds more than one YAML document.", "keep one site definition per file (remove the '---' separators).");
        }

        var root = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
        var site = new YamlSiteReader(context).Read(root);
        var errors = new List<SiteError>(context.Errors);
        if (root is not null)
        {
            // A value the reader already rejected is left empty in the model; the validators would
            // only repeat that error in other words, so theirs are dropped for that path.
            errors.AddRange(SiteValidation.Validate(site, file, environment ?? ScriptEnvironmentRule.Default, context.Map)
                .Where(v => !context.Errors.Any(r => Covers(r.Path, v.Path))));
        }

        return errors.Count == 0
            ? new SiteLoadResult(site, CanonicalSiteJson.ContentHash(site), [])
            : new SiteLoadResult(null, null, errors);
    }

    private static bool Covers(string rejected, string path) =>
        rejected.Length > 0 && (path == rejected || path.StartsWith(rejected + ".", StringComparison.Ordinal) || path.StartsWith(rejected + "[", StringComparison.Ordinal));
}

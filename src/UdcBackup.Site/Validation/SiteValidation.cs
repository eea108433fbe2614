using FluentValidation.Results;
using UdcBackup.Site.Loading;
using UdcBackup.Site.Model;

namespace UdcBackup.Site.Validation;

/// <summary>
/// Runs <see cref="SiteDefinitionValidator"/> and turns its failures into <see cref="SiteError"/>s:
/// property chains such as <c>Systems[2].Scripts.PreBackup</c> become the YAML path
/// <c>systems[2].scripts.preBackup</c>, and the fix comes from the rule's custom state.
/// </summary>
public static class SiteValidation
{
    private static readonly SiteDefinitionValidator Validator = new();

    public static IReadOnlyList<SiteError> Validate(SiteDefinition site, string file) => Validate(site, file, null);

    internal static IReadOnlyList<SiteError> Validate(SiteDefinition site, string file, SourceMap? map)
    {
        ArgumentNullException.ThrowIfNull(site);
        ValidationResult result = Validator.Validate(site);
        return result.Errors
            .Select(failure =>
            {
                var path = ToYamlPath(failure.PropertyName);
                var position = map?.Find(path);
                return new SiteError(file, path, failure.ErrorMessage, failure.CustomState as string ?? "correct the value.", position?.Line, position?.Column);
            })
            .Distinct()
            .ToList();
    }

    /// <summary>Lower-cases the first letter of every segment: the YAML keys are the camel-case property names.</summary>
    public static string ToYamlPath(string propertyChain)
    {
        ArgumentNullException.ThrowIfNull(propertyChain);
        var chars = propertyChain.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (i == 0 || chars[i - 1] == '.')
            {
                chars[i] = char.ToLowerInvariant(chars[i]);
            }
        }

        return new string(chars);
    }
}

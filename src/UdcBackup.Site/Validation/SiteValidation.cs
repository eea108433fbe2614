using System.Runtime.CompilerServices;
using FluentValidation.Results;
using UdcBackup.ScriptContract;
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
    // One validator per rule: a controller builds its rule once at start, and building the
    // validator's rule tree for every apply would be wasted work.
    private static readonly ConditionalWeakTable<ScriptEnvironmentRule, SiteDefinitionValidator> Validators = [];

    /// <summary>Validates for default-configured disk agents.</summary>
    public static IReadOnlyList<SiteError> Validate(SiteDefinition site, string file) => Validate(site, file, ScriptEnvironmentRule.Default, null);

    /// <summary>Validates for disk agents whose script environment rule is <paramref name="environment"/>.</summary>
    public static IReadOnlyList<SiteError> Validate(SiteDefinition site, string file, ScriptEnvironmentRule environment) => Validate(site, file, environment, null);

    internal static IReadOnlyList<SiteError> Validate(SiteDefinition site, string file, ScriptEnvironmentRule environment, SourceMap? map)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(environment);
        ValidationResult result = Validators.GetValue(environment, rule => new SiteDefinitionValidator(rule)).Validate(site);
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

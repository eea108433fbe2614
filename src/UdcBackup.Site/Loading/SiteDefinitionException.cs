namespace UdcBackup.Site.Loading;

/// <summary>Thrown by <see cref="SiteDefinitionLoader.LoadValidFile"/> when a site definition is invalid; carries every error.</summary>
public sealed class SiteDefinitionException : Exception
{
    public SiteDefinitionException(IReadOnlyList<SiteError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<SiteError> Errors { get; }

    private static string Describe(IReadOnlyList<SiteError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return $"the site definition has {errors.Count} error(s):{Environment.NewLine}" + string.Join(Environment.NewLine, errors);
    }
}

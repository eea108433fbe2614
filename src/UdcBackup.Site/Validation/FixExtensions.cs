using FluentValidation;

namespace UdcBackup.Site.Validation;

/// <summary>
/// Attaches the fix to a rule. The fix travels in FluentValidation's custom state, and
/// <see cref="SiteValidation"/> turns it into <see cref="Loading.SiteError.Fix"/>.
/// </summary>
public static class FixExtensions
{
    public static IRuleBuilderOptions<T, TProperty> WithFix<T, TProperty>(this IRuleBuilderOptions<T, TProperty> rule, string fix) =>
        rule.WithState(_ => fix);

    public static IRuleBuilderOptions<T, TProperty> WithFix<T, TProperty>(this IRuleBuilderOptions<T, TProperty> rule, Func<T, string> fix) =>
        rule.WithState(fix);
}

using FluentValidation;
using UdcBackup.Site.Model;

namespace UdcBackup.Site.Validation;

/// <summary>Checks one zone on its own.</summary>
public sealed class ZoneValidator : AbstractValidator<Zone>
{
    public ZoneValidator()
    {
        RuleFor(z => z.Name).Must(SiteNames.IsIdentifier)
            .WithMessage(z => $"zone name '{z.Name}' is not a valid name.")
            .WithFix($"give the zone a name made of {SiteNames.IdentifierRule}.");
    }
}

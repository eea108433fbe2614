using System.Text.RegularExpressions;
using FluentValidation;
using UdcBackup.Site.Model;

namespace UdcBackup.Site.Validation;

/// <summary>Checks one firewall on its own: name, port, the two zones it joins and its kind's settings.</summary>
public sealed partial class FirewallValidator : AbstractValidator<FirewallDefinition>
{
    public FirewallValidator()
    {
        RuleFor(f => f.Name).Must(SiteNames.IsIdentifier)
            .WithMessage(f => $"firewall name '{f.Name}' is not a valid name.")
            .WithFix($"give the firewall a name made of {SiteNames.IdentifierRule}.");
        RuleFor(f => f.DesignatedPort).Must(SiteNames.IsPort)
            .WithMessage(f => $"designated port {f.DesignatedPort} is out of range.")
            .WithFix("set designatedPort to the media agents' port, between 1 and 65535.");
        RuleFor(f => f.Between).Must(b => b.Count == 2 && b[0] != b[1])
            .WithMessage(f => $"a firewall joins exactly two different zones, this one lists [{string.Join(", ", f.Between)}].")
            .WithFix("write 'between: [controller-zone, protected-zone]' with the two zones on either side of the firewall.");

        When(f => f.Kind == FirewallKind.Nftables && f.Nftables is not null, () =>
        {
            RuleFor(f => f.Nftables!.Table).NotEmpty().WithMessage("the nftables table is empty.").WithFix("set nftables.table, e.g. udc.");
            RuleFor(f => f.Nftables!.Chain).NotEmpty().WithMessage("the nftables chain is empty.").WithFix("set nftables.chain, e.g. forward.");
            RuleFor(f => f.Nftables!.Family).Must(f => f is "inet" or "ip" or "ip6")
                .WithMessage(f => $"nftables family '{f.Nftables!.Family}' is not inet, ip or ip6.")
                .WithFix("set nftables.family to inet (both IPv4 and IPv6), ip or ip6.");
            RuleFor(f => f.Nftables!.Namespace).Null().When(f => f.Nftables!.CommandPrefix is not null)
                .WithMessage("namespace and commandPrefix are both set; nft runs either in a local network namespace or through a prefix.")
                .WithFix("keep only one of nftables.namespace and nftables.commandPrefix.");
        });

        When(f => f.Kind == FirewallKind.Command, () =>
        {
            RuleFor(f => f.Commands).NotNull()
                .WithMessage("a firewall of kind command needs its open and close commands.")
                .WithFix("add 'commands: { open: \"...\", close: \"...\" }' using {source}, {destination}, {port} and {comment}, or set kind to nftables.");
            RuleFor(f => f.Commands!.Open).Must(BeAUsableTemplate).When(f => f.Commands is not null)
                .WithMessage(f => $"the open command '{f.Commands!.Open}' is empty or uses an unknown placeholder.")
                .WithFix($"write a command line; placeholders allowed: {{{string.Join("}, {", CommandTemplates.Placeholders)}}}.");
            RuleFor(f => f.Commands!.Close).Must(BeAUsableTemplate).When(f => f.Commands is not null)
                .WithMessage(f => $"the close command '{f.Commands!.Close}' is empty or uses an unknown placeholder.")
                .WithFix($"write a command line; placeholders allowed: {{{string.Join("}, {", CommandTemplates.Placeholders)}}}.");
        });
    }

    private static bool BeAUsableTemplate(string template) =>
        !string.IsNullOrWhiteSpace(template)
        && Placeholder().Matches(template).All(m => CommandTemplates.Placeholders.Contains(m.Groups[1].Value));

    [GeneratedRegex(@"\{([^}]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}

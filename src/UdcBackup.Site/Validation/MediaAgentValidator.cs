using FluentValidation;
using UdcBackup.Site.Model;

namespace UdcBackup.Site.Validation;

/// <summary>Checks one media agent on its own: identity, endpoint, address and repositories.</summary>
public sealed class MediaAgentValidator : AbstractValidator<MediaAgent>
{
    public MediaAgentValidator()
    {
        RuleFor(m => m.Id).Must(SiteNames.IsIdentifier)
            .WithMessage(m => $"media agent id '{m.Id}' is not a valid identity.")
            .WithFix($"use the name of the media agent's certificate, made of {SiteNames.IdentifierRule}.");
        RuleFor(m => m.Endpoint).Must(SiteNames.IsEndpoint)
            .WithMessage(m => $"endpoint '{m.Endpoint}' is not host:port with a port between 1 and 65535.")
            .WithFix("write the address disk agents connect to, e.g. 198.51.100.2:9101.");
        RuleFor(m => m.Address).Must(SiteNames.IsAddress)
            .WithMessage(m => $"address '{m.Address}' is not an IP address.")
            .WithFix("write the media agent's IP address as the firewall sees it, e.g. 198.51.100.2.");
        RuleFor(m => m.Repositories).NotEmpty()
            .WithMessage(m => $"media agent '{m.Id}' has no repository.")
            .WithFix("add 'repositories: [{ name: main, path: /srv/udc/repo }]'.");
        RuleForEach(m => m.Repositories).ChildRules(repo =>
        {
            repo.RuleFor(r => r.Name).Must(SiteNames.IsIdentifier)
                .WithMessage(r => $"repository name '{r.Name}' is not a valid name.")
                .WithFix($"name the repository with {SiteNames.IdentifierRule}.");
            repo.RuleFor(r => r.Path).Must(SiteNames.IsAbsolutePath)
                .WithMessage(r => $"repository path '{r.Path}' is not an absolute path.")
                .WithFix("write the repository's absolute folder on the media agent, e.g. /srv/udc/repo.");
        });
    }
}

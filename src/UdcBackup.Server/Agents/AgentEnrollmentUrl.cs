using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using UdcBackup.Server.Configuration;

namespace UdcBackup.Server.Agents;

/// <summary>
/// The address an agent enrolls at (<c>udc agent enroll --server</c>), from the controller's
/// first <c>AgentUrls</c> listener: as configured when it names a host and a port; with the port
/// the listener was given when it was configured with port 0 (the first bound https:// address
/// that is not one of <c>Urls</c>). A listener on every address (0.0.0.0, [::], *, +) names no
/// host, so the host the operator reached the API by (the request's <c>Host</c>) is taken when it
/// is a name or an address an agent can connect to, and <c>CONTROLLER</c> only when it is not
/// (an unspecified address); the answer says which (<see cref="AgentEnrollmentAddress.HostFrom"/>).
/// Null when no agent listener is configured: the token's answer then leaves it out and the CLI
/// prints a placeholder.
/// </summary>
public static class AgentEnrollmentUrl
{
    /// <summary>The enrollment address, or null when the controller has no agent listener.</summary>
    public static AgentEnrollmentAddress? Of(ServerSettings settings, IServer server, HostString requestHost = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(server);
        if (settings.AgentUrlList.Count == 0 || !Uri.TryCreate(Normalized(settings.AgentUrlList[0]), UriKind.Absolute, out var configured))
        {
            return null;
        }

        var port = configured.Port;
        if (port == 0)
        {
            var bound = server.Features.Get<IServerAddressesFeature>()?.Addresses
                .Where(a => a.StartsWith("https://", StringComparison.OrdinalIgnoreCase) && !settings.UrlList.Contains(a, StringComparer.OrdinalIgnoreCase))
                .Select(a => Uri.TryCreate(Normalized(a), UriKind.Absolute, out var u) ? u.Port : 0)
                .FirstOrDefault(p => p > 0);
            if (bound is not > 0)
            {
                return null;
            }

            port = bound.Value;
        }

        if (!IsEveryAddress(configured.Host))
        {
            return new AgentEnrollmentAddress($"https://{configured.Host}:{port}", AgentEnrollmentAddress.FromListener);
        }

        return ConnectableHost(requestHost) is { } host
            ? new AgentEnrollmentAddress($"https://{host}:{port}", AgentEnrollmentAddress.FromRequest)
            : new AgentEnrollmentAddress($"https://{AgentEnrollmentAddress.PlaceholderHost}:{port}", AgentEnrollmentAddress.Placeholder);
    }

    /// <summary>The request's host (without its port) when an agent could connect to it: a DNS name or a specified IP address.</summary>
    private static string? ConnectableHost(HostString requestHost)
    {
        if (!requestHost.HasValue || !Uri.TryCreate($"https://{requestHost.Host}/", UriKind.Absolute, out var uri))
        {
            return null;
        }

        return uri.HostNameType switch
        {
            UriHostNameType.Dns => uri.Host,
            UriHostNameType.IPv4 or UriHostNameType.IPv6 when !IsEveryAddress(uri.Host) => uri.Host,
            _ => null,
        };
    }

    private static bool IsEveryAddress(string host) =>
        host is "wildcard-host" || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)));

    // Kestrel's "every address" forms are not URI hosts; read them as one so the port survives.
    private static string Normalized(string url) =>
        url.Replace("://*:", "://wildcard-host:", StringComparison.Ordinal).Replace("://+:", "://wildcard-host:", StringComparison.Ordinal);
}

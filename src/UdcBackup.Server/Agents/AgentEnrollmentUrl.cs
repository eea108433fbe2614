using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using UdcBackup.Server.Configuration;

namespace UdcBackup.Server.Agents;

/// <summary>
/// The address an agent enrolls at (<c>udc agent enroll --server</c>), from the controller's
/// first <c>AgentUrls</c> listener: as configured when it names a host and a port; with the port
/// the listener was given when it was configured with port 0 (the first bound https:// address
/// that is not one of <c>Urls</c>); with <c>CONTROLLER</c> for the host when it listens on every
/// address (0.0.0.0, [::], *, +), since the name agents reach it by is not known here. Null when
/// no agent listener is configured: the token's answer then leaves it out and the CLI prints a
/// placeholder.
/// </summary>
public static class AgentEnrollmentUrl
{
    /// <summary>The enrollment address, or null when the controller has no agent listener.</summary>
    public static string? Of(ServerSettings settings, IServer server)
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

        var host = configured.Host is "0.0.0.0" or "[::]" or "wildcard-host" ? "CONTROLLER" : configured.Host;
        return $"https://{host}:{port}";
    }

    // Kestrel's "every address" forms are not URI hosts; read them as one so the port survives.
    private static string Normalized(string url) =>
        url.Replace("://*:", "://wildcard-host:", StringComparison.Ordinal).Replace("://+:", "://wildcard-host:", StringComparison.Ordinal);
}

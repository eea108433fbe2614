using System.Globalization;

namespace UdcBackup.Site.Topology;

/// <summary>Reads <c>host:port</c> endpoints (IPv6 hosts in brackets: <c>[2001:db8::1]:9101</c>).</summary>
public static class Endpoints
{
    public static bool TryParse(string? endpoint, out string host, out int port)
    {
        host = string.Empty;
        port = 0;
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return false;
        }

        var colon = endpoint.LastIndexOf(':');
        if (colon <= 0 || colon == endpoint.Length - 1)
        {
            return false;
        }

        host = endpoint[..colon].Trim('[', ']');
        return host.Length > 0
            && int.TryParse(endpoint.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port);
    }
}

using UdcBackup.Site.Model;

namespace UdcBackup.Site.Topology;

/// <summary>
/// The firewalls a stream crosses between two zones. Zones are the nodes of a graph whose edges
/// are the firewalls (each joins the two zones in its <c>between</c>); the route is the shortest
/// path, found breadth-first, listed from the first zone towards the second. Two zones that are
/// the same need no firewall; zones with no path have no route (null), which the validator reports.
/// </summary>
public static class FirewallRoute
{
    public static IReadOnlyList<FirewallDefinition>? Find(SiteDefinition site, string fromZone, string toZone)
    {
        ArgumentNullException.ThrowIfNull(site);
        if (fromZone == toZone)
        {
            return [];
        }

        var cameFrom = new Dictionary<string, (string Zone, FirewallDefinition Firewall)>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal) { fromZone };
        var queue = new Queue<string>();
        queue.Enqueue(fromZone);
        while (queue.Count > 0)
        {
            var zone = queue.Dequeue();
            foreach (var firewall in site.Firewalls.Where(f => f.Between.Count == 2 && f.Between.Contains(zone)))
            {
                var other = firewall.Between[0] == zone ? firewall.Between[1] : firewall.Between[0];
                if (!seen.Add(other))
                {
                    continue;
                }

                cameFrom[other] = (zone, firewall);
                if (other == toZone)
                {
                    return Unwind(cameFrom, fromZone, toZone);
                }

                queue.Enqueue(other);
            }
        }

        return null;
    }

    private static List<FirewallDefinition> Unwind(Dictionary<string, (string Zone, FirewallDefinition Firewall)> cameFrom, string fromZone, string toZone)
    {
        var route = new List<FirewallDefinition>();
        for (var zone = toZone; zone != fromZone; zone = cameFrom[zone].Zone)
        {
            route.Add(cameFrom[zone].Firewall);
        }

        route.Reverse();
        return route;
    }
}

using UdcBackup.Firewall;

namespace UdcBackup.Activities.Firewall;

/// <summary>Turns a site firewall into the library's <see cref="IFirewall"/> that acts on it.</summary>
public interface IFirewallProvider
{
    IFirewall Get(FirewallTarget target);
}
